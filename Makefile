# regsweep — every target installs what it needs first (Debian packages via apt-get).
# Quick start:  make demo   |   make test   |   make package (a .deb)   |   make install PREFIX=...
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

# What building regsweep needs; what the tests, lint, fuzz and bench add (zsh and fish: the
# completion tests); what `make package` adds (dpkg-shlibdeps from dpkg-dev, file and objcopy for
# CPack, groff/man to check the pages, zsh and fish to check the completion scripts).
BUILD_APT_PACKAGES := cmake g++ make pkg-config git python3 ccache \
  nlohmann-json3-dev libcli11-dev libfmt-dev libsimdjson-dev libcurl4-openssl-dev libssl-dev \
  libcpp-httplib-dev libyaml-cpp-dev
APT_PACKAGES := $(BUILD_APT_PACKAGES) clang clang-format libclang-rt-14-dev libgtest-dev libgmock-dev \
  libbenchmark-dev awscli openssl zsh fish chromium chromium-driver
PACKAGE_APT_PACKAGES := $(BUILD_APT_PACKAGES) dpkg-dev file binutils xz-utils groff-base man-db zsh fish

# The package: an optimised build of its own (no tests), installed under /usr. RelWithDebInfo is
# -O2 -g -DNDEBUG, the flags the tests run with (so ccache serves it from the test build), and its
# debug information is what goes into the -dbgsym package.
PACKAGE_BUILD ?= build-package
PACKAGE_BUILD_TYPE ?= RelWithDebInfo
PREFIX ?= /usr/local
# For a source tree without .git (a Docker build context): the commit --version names.
REGSWEEP_GIT_COMMIT ?=

.PHONY: all deps package-deps build demo test unit e2e bench lint format asan fuzz clean \
  install package package-check web-deps web-test

all: build

# Idempotent and quiet: apt-get runs only when a package is missing.
define apt_install
	@missing=$$(for p in $(1); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps:
	$(call apt_install,$(APT_PACKAGES))
	@# node and npm for the browser tests: Debian's, unless a node with npm is installed already
	@# (a NodeSource nodejs bundles npm and conflicts with Debian's npm package).
	@command -v npm >/dev/null 2>&1 || { echo "installing: nodejs npm"; apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }

# The browser tests' npm packages (tests/web/package-lock.json: playwright-core only, which drives
# Debian's chromium; no browser is downloaded), installed into the clone when the lock file changed.
WEB_TESTS := tests/web
$(WEB_TESTS)/node_modules/.package-lock.json: $(WEB_TESTS)/package-lock.json $(WEB_TESTS)/package.json
	cd $(WEB_TESTS) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web-deps: deps $(WEB_TESTS)/node_modules/.package-lock.json

package-deps:
	$(call apt_install,$(PACKAGE_APT_PACKAGES))

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# Only what the demo runs: the regsweep binary and the emulator (not the tests).
demo: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target regsweep ecr-emulator
	@scripts/demo.sh $(BUILD)

# Unit tests, e2e tests (real binary against real servers), lint, a short fuzz run, and the Debian
# package built and checked (its compiler flags are the test build's, so ccache makes it cheap:
# about a minute on 2 cores).
test: build lint web-deps
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory web-test
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)
	$(MAKE) --no-print-directory package-check

# The web UI in a real browser (tests/web, node's test runner): run alone, after the other tests,
# because it measures how fast a 20,000-image repository opens.
web-test: build web-deps
	cd $(WEB_TESTS) && REGSWEEP_BIN=$(abspath $(BUILD))/regsweep \
	  ECR_EMULATOR_BIN=$(abspath $(BUILD))/emulator/ecr-emulator REGSWEEP_SOURCE_DIR=$(CURDIR) \
	  node --test ui.test.mjs

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

# The package build: configured for PREFIX (the man pages name the documentation directory), so
# `make install` and `make package` (PREFIX=/usr) each reconfigure it when the prefix changes.
package-build: package-deps
	cmake -S . -B $(PACKAGE_BUILD) -DCMAKE_BUILD_TYPE=$(PACKAGE_BUILD_TYPE) -DREGSWEEP_TESTS=OFF \
	  -DCMAKE_INSTALL_PREFIX=$(PREFIX) -DREGSWEEP_GIT_COMMIT=$(REGSWEEP_GIT_COMMIT) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(PACKAGE_BUILD) -j $(JOBS)

# Stripped binaries, man pages, completions, docs and examples under $(DESTDIR)$(PREFIX).
install: package-build
	DESTDIR=$(DESTDIR) cmake --install $(PACKAGE_BUILD) --strip

# $(PACKAGE_BUILD)/regsweep_VERSION-1_ARCH.deb and its debug symbols, regsweep-dbgsym_*.ddeb.
package: PREFIX = /usr
package: package-build
	rm -f $(PACKAGE_BUILD)/regsweep_*.deb $(PACKAGE_BUILD)/regsweep-dbgsym_*.ddeb
	cd $(PACKAGE_BUILD) && cpack -G DEB
	@ls -l $(PACKAGE_BUILD)/regsweep_*.deb $(PACKAGE_BUILD)/regsweep-dbgsym_*.ddeb

# What CI checks: the package's metadata and contents, and the installed binary, man pages and
# completions, from the package extracted into a temporary root.
package-check: package
	scripts/check_package.sh $(PACKAGE_BUILD)

clean:
	rm -rf $(BUILD) $(BUILD)-release $(ASAN_BUILD) $(FUZZ_BUILD) $(PACKAGE_BUILD)
