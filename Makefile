# Hostfit: `make demo` plans the bundled SampleData, `make test` runs every test.
# Both install what is missing first (Debian: libglpk-dev) and do nothing when it is there.

SWIFT      ?= swift
BUILD_FLAGS ?=
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOSTFIT     = .build/release/hostfit

.PHONY: all deps build release demo test bench clean

all: build

deps:
	@if [ ! -f /usr/include/glpk.h ] || [ ! -f /usr/include/zlib.h ] || ! command -v pkg-config >/dev/null; then \
	  echo "make: installing libglpk-dev (GLPK, the ILP solver), zlib1g-dev (gzip traces, .xlsx) and pkg-config"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q libglpk-dev zlib1g-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)

DEMO = --hosts SampleData/hosts.csv --vms SampleData/vms.csv --traces SampleData/traces

demo: release
	$(HOSTFIT) plan $(DEMO) --out .build/demo
	@echo
	@echo "== .build/demo/summary.json"
	@cat .build/demo/summary.json
	@echo
	$(HOSTFIT) check --plan .build/demo/placements.csv

test: deps
	$(SWIFT) test $(BUILD_FLAGS)

bench: release
	Benchmarks/run

clean:
	rm -rf .build
