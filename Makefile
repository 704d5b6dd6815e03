# The two commands a new user needs: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
# A clean build (CI) gains nothing from incremental artifacts, and they take many gigabytes.
export CARGO_INCREMENTAL := 0

.PHONY: setup build site run test test-unit test-rust test-sdk test-e2e lint bench clean

setup:
	@bash scripts/setup.sh

## build: target/release/herald and the site assets it serves (target/site)
build: setup
	cargo build --release -p herald
	bash scripts/build-site.sh

## run: build, then serve on SQLite at http://127.0.0.1:8080
run: build
	@bash scripts/run.sh

## test: fmt, clippy, unit and integration tests on SQLite and PostgreSQL (the portal's rules
## included), the svix SDK suite on both, and the portal's browser tests in Chromium.
test: setup lint test-rust test-sdk test-e2e

test-unit:
	cargo test --workspace --lib -- --test-threads=4

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

test-rust:
	cargo test --workspace -- --test-threads=4

test-sdk:
	@bash scripts/sdk-test.sh

## test-e2e: the debug server (the one the Rust tests built) with the release front end, since
## wasm-opt is where a front end can break that the debug build would not show.
test-e2e: setup
	cargo build -p herald
	bash scripts/build-site.sh
	HERALD_BIN=$(CURDIR)/target/debug/herald HERALD_SITE_ROOT=$(CURDIR)/target/site bash end2end/run.sh

## bench: the load test of BENCHMARKS.md (BENCH_ARGS="-e 10" etc.)
bench: setup
	cargo build --release -p herald --bin herald-bench
	target/release/herald-bench $(BENCH_ARGS)

clean:
	cargo clean
