# erg build. GOEXPERIMENT=simd makes the pure-Go GoMLX backend about 3x faster.
export GOEXPERIMENT := simd
export GOFLAGS := -mod=mod
GO ?= go

.PHONY: build demo test vet peers bench compute-check

build:
	$(GO) build -o bin/erg ./cmd/erg

# The main job: a short pass of every landed capability on real data, ending with a report path.
demo: build
	./bin/erg demo

# Installs the reference programs the tests compare against (when missing), then vets and tests.
test: peers
	$(GO) vet ./...
	$(GO) test -timeout 30m ./...
	$(MAKE) --no-print-directory compute-check

# Checks that third_party/compute is gomlx/compute v0.1.3 plus third_party/patches (nothing
# else), then runs the fork's whole test suite (about 11 s with a warm build cache, 75 s cold).
compute-check:
	GO=$(GO) bash third_party/apply-patches.sh
	cd third_party/compute && $(GO) test ./...

peers:
	bash scripts/install-peers.sh

bench: build
	./bin/erg bench core
