#!/usr/bin/env bash
# Regenerates Sources/HostfitClient/Generated from the service's contract,
# Sources/HostfitService/openapi.json, with swift-openapi-generator, ahead of time: its build
# plugin would add minutes to every first build (measured: see docs/client.md), so the
# generated code is committed with the contract's digest, which a test compares.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-openapi
mkdir -p "$scratch"
cat > "$scratch/Package.swift" <<'SWIFT'
// swift-tools-version: 6.0
import PackageDescription
let package = Package(name: "generator", dependencies: [.package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3")], targets: [])
SWIFT
swift build -c release --package-path "$scratch" --product swift-openapi-generator 2>&1 | tail -1
rm -f Sources/HostfitClient/Generated/*.swift
"$scratch/.build/release/swift-openapi-generator" generate \
  --config Sources/HostfitClient/openapi-generator-config.yaml \
  --output-directory Sources/HostfitClient/Generated \
  Sources/HostfitService/openapi.json
sha256sum Sources/HostfitService/openapi.json | cut -d' ' -f1 > Sources/HostfitClient/Generated/openapi.sha256
echo "generated: $(ls Sources/HostfitClient/Generated)"
