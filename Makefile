# The two commands a new user needs: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: setup build run test test-unit test-rust test-sdk test-e2e lint bench clean

setup:
	@bash scripts/setup.sh

## build: target/release/herald and the site assets it serves (target/site)
build: setup
	@bash scripts/setup.sh --web
	cargo leptos build --release

## run: build, then serve on SQLite at http://127.0.0.1:8080
run: build
	@bash scripts/run.sh

## test: fmt, clippy, unit and integration tests on SQLite and PostgreSQL (the portal's rules
## included), and the svix SDK suite on both. `make test-e2e` runs the portal's browser tests in
## Chromium against the release build; it joins `make test` once it has passed in CI (issue 3).
test: setup lint test-rust test-sdk

test-unit:
	cargo test --workspace --lib -- --test-threads=4

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

test-rust:
	cargo test --workspace -- --test-threads=4

test-sdk:
	@bash scripts/sdk-test.sh

test-e2e: build
	HERALD_BIN=$(CURDIR)/target/release/herald HERALD_SITE_ROOT=$(CURDIR)/target/site bash end2end/run.sh

## bench: the load test of BENCHMARKS.md (BENCH_ARGS="-e 10" etc.)
bench: setup
	cargo build --release -p herald
	target/release/herald bench $(BENCH_ARGS)

clean:
	cargo clean
