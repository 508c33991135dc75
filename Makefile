# regsweep — every target installs what it needs first (Debian packages via apt-get).
# Quick start:  make demo   |   make test
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
FUZZ_SECONDS ?= 20

# ccache keeps compiled objects outside the clone (~/.cache/ccache), so a second build on the same
# machine, another clone or worktree, or the fuzz build after a reconfigure reuses them. Paths are
# made relative to the clone so that different checkouts share entries.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
CMAKE_FLAGS := -DCMAKE_CXX_COMPILER_LAUNCHER=ccache

APT_PACKAGES := cmake g++ make pkg-config git python3 clang clang-format libclang-rt-14-dev \
  nlohmann-json3-dev libcli11-dev libfmt-dev libsimdjson-dev libgtest-dev libgmock-dev \
  libbenchmark-dev libcurl4-openssl-dev libssl-dev libcpp-httplib-dev libyaml-cpp-dev awscli openssl ccache

.PHONY: all deps build demo test unit e2e bench lint format asan fuzz clean

all: build

# Idempotent and quiet: apt-get runs only when a package is missing.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# Only what the demo runs: the regsweep binary and the emulator (not the tests).
demo: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target regsweep ecr-emulator
	@scripts/demo.sh $(BUILD)

# Unit tests, e2e tests (real binary against real servers), lint, and a short fuzz run.
test: build lint
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

e2e: build
	cd $(BUILD) && ctest --output-on-failure -L e2e

bench: deps
	cmake -S . -B $(BUILD)-release -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD)-release -j $(JOBS)
	@scripts/bench.sh $(BUILD)-release

lint: deps
	python3 scripts/check_layers.py
	@files=$$(git ls-files -co --exclude-standard -- '*.cpp' '*.hpp'); \
	clang-format --dry-run -Werror $$files && echo "clang-format: clean"

format: deps
	clang-format -i $$(git ls-files -co --exclude-standard -- '*.cpp' '*.hpp')

asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DREGSWEEP_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

fuzz: deps
	CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREGSWEEP_FUZZ=ON $(CMAKE_FLAGS) >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers
	@scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(BUILD)-release $(ASAN_BUILD) $(FUZZ_BUILD)
