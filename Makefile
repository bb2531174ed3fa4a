# erg build. GOEXPERIMENT=simd makes the pure-Go GoMLX backend about 3x faster.
export GOEXPERIMENT := simd
export GOFLAGS := -mod=mod
GO ?= go

.PHONY: build demo test vet peers bench

build:
	$(GO) build -o bin/erg ./cmd/erg

# The main job: a short pass of every landed capability on real data, ending with a report path.
demo: build
	./bin/erg demo

# Installs the reference programs the tests compare against (when missing), then vets and tests.
test: peers
	$(GO) vet ./...
	$(GO) test -timeout 30m ./...
	cd third_party/compute && $(GO) test -run 'TestAVX2Large6x16|TestErg' ./internal/gobackend/dot/matmul/ ./internal/gobackend/ops/

peers:
	bash scripts/install-peers.sh

bench: build
	./bin/erg bench core
