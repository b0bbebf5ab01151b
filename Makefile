# Hostfit: `make demo` plans the bundled SampleData, `make test` runs every test.
# Both install what is missing first (Debian: libglpk-dev) and do nothing when it is there.

SWIFT      ?= swift
BUILD_FLAGS ?=
PREFIX     ?= /usr/local
DESTDIR    ?=
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOSTFIT     = .build/release/hostfit

.PHONY: all deps test-deps venv build release planner serve demo test doctests notebooks bench install uninstall clean

all: build

# On a fresh machine the Swift packages are fetched while apt-get runs (neither needs the
# other; a failed fetch is retried, and reported, by the build that follows).
deps:
	@if [ ! -f /usr/include/glpk.h ] || [ ! -f /usr/include/zlib.h ] || [ ! -f /usr/include/sqlite3.h ] || ! command -v pkg-config >/dev/null; then \
	  fetch=; if [ ! -d .build/checkouts ]; then $(SWIFT) package resolve >/dev/null 2>&1 & fetch=$$!; fi; \
	  echo "make: installing libglpk-dev (GLPK, the ILP solver), zlib1g-dev (gzip traces, .xlsx), libsqlite3-dev (the service's store) and pkg-config"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q libglpk-dev zlib1g-dev libsqlite3-dev pkg-config; \
	  status=$$?; [ -z "$$fetch" ] || wait $$fetch; exit $$status; \
	fi

# What only the tests need: Debian's chromium (report.html is rendered in it) and a venv
# that can be made (Debian splits python3-venv out of python3).
test-deps: deps
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v curl >/dev/null || missing="$$missing curl"; \
	command -v python3 >/dev/null || missing="$$missing python3"; \
	command -v java >/dev/null || missing="$$missing openjdk-17-jre-headless"; \
	if [ ! -x .venv/bin/python ] && ! python3 -c "import ensurepip, venv" 2>/dev/null; then missing="$$missing python3-venv"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing$$missing (report test, notebooks, Spark's Java, the service examples of docs/)"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

# The Python packages of the tests (notebooks, schemathesis, pyspark for --spark local[2]),
# in a local venv (Benchmarks/run adds its peers to it).
TEST_PACKAGES = pandas matplotlib nbclient nbformat ipykernel schemathesis requests pyspark
venv: test-deps
	@if ! .venv/bin/python -c "import pandas, matplotlib, nbclient, nbformat, ipykernel, schemathesis, requests, pyspark" 2>/dev/null; then \
	  echo "make: installing $(TEST_PACKAGES) into .venv"; \
	  python3 -m venv .venv && .venv/bin/pip install -q --disable-pip-version-check $(TEST_PACKAGES); \
	fi

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

# The planner alone (hostfit): no HTTP or SQLite stack, so a first build takes minutes.
planner: deps
	$(SWIFT) build -c release --product hostfit $(BUILD_FLAGS)

# The service's program, which `hostfit serve` runs.
serve: deps
	$(SWIFT) build -c release --product hostfit-serve $(BUILD_FLAGS)

# Everything, the benchmark program included.
release: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)

install: planner serve
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 .build/release/hostfit .build/release/hostfit-serve $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/hostfit
	install -m 644 Sources/HostfitService/openapi.json Sources/Distributed/hostfit_spark.py $(DESTDIR)$(PREFIX)/share/hostfit/
	@echo "Installed hostfit and hostfit-serve in $(DESTDIR)$(PREFIX)/bin"

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/hostfit $(DESTDIR)$(PREFIX)/bin/hostfit-serve
	rm -rf $(DESTDIR)$(PREFIX)/share/hostfit

DEMO = --hosts SampleData/hosts.csv --vms SampleData/vms.csv --traces SampleData/traces

demo: planner
	$(HOSTFIT) plan $(DEMO) --out .build/demo
	@echo
	@echo "== .build/demo/summary.json"
	@cat .build/demo/summary.json
	@echo
	$(HOSTFIT) check --plan .build/demo/placements.csv
	@echo
	@echo "Report: .build/demo/report.html (one self-contained page: open it in a browser, or print it)"

# Every test: the Swift suites (the Chromium and service ones included), the notebooks
# and schemathesis against the service on the debug build swift test made, then every
# example of README.md and docs/ on the release planner that make demo built (the output
# the pages show).
test: venv planner
	$(SWIFT) test $(BUILD_FLAGS)
	HOSTFIT=$(CURDIR)/.build/debug/hostfit .venv/bin/python tools/run_notebooks.py
	.venv/bin/python tools/run_schemathesis.py --hostfit $(CURDIR)/.build/debug/hostfit
	python3 tools/run_doctests.py --hostfit $(HOSTFIT) --serve $(CURDIR)/.build/debug/hostfit-serve

# The documentation's examples alone.
doctests: planner
	python3 tools/run_doctests.py --hostfit $(HOSTFIT) --serve $(CURDIR)/.build/debug/hostfit-serve

notebooks: venv build
	HOSTFIT=$(CURDIR)/.build/debug/hostfit .venv/bin/python tools/run_notebooks.py

bench: release
	Benchmarks/run

clean:
	rm -rf .build
