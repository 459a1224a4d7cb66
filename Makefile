# Sealpost build entry points. Every target finds a JDK >= 25 by itself (scripts/find-jdk.sh).
SHELL := /bin/bash
JAVA_HOME := $(shell scripts/find-jdk.sh)
export JAVA_HOME
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
MVN := mvn -B -ntp
DEMO_ARGS ?=

.PHONY: all build dist demo test clean check-jdk reliability reliability-quick

all: dist

check-jdk:
	@test -n "$(JAVA_HOME)" || { echo "error: no JDK >= 25 found (see scripts/find-jdk.sh)" >&2; exit 1; }

build: check-jdk
	$(MVN) -q -DskipTests install

# Every input of the build: sources, resources, poms, and the files make-dist.sh copies.
BUILD_INPUTS := $(shell find . -path ./dist/sealpost -prune -o -name target -prune -o -name .git -prune -o \
	-type f \( -path '*/src/main/*' -o -name pom.xml \) -print) \
	conf/sealpost.toml scripts/make-dist.sh scripts/sealpost scripts/find-jdk.sh dist/systemd/sealpost.service
DIST_STAMP := dist/sealpost/.built

# dist/sealpost/: bin/sealpost, lib/*.jar, conf/sealpost.toml, systemd/sealpost.service
dist: build
	scripts/make-dist.sh
	@touch $(DIST_STAMP)

# The demo's build: Maven runs only when an input is newer than the last dist (a no-change start takes no build).
$(DIST_STAMP): $(BUILD_INPUTS)
	@$(MAKE) --no-print-directory check-jdk
	$(MVN) -q -DskipTests install
	scripts/make-dist.sh
	@touch $@

# Runs the server on embedded defaults, data in ./demo-data. Ctrl-C stops it quietly (the JVM's
# exit status 130 after SIGINT is not an error here).
demo: $(DIST_STAMP)
	@trap 'exit 0' INT; dist/sealpost/bin/sealpost demo --data ./demo-data $(DEMO_ARGS); rc=$$?; \
	  if [ $$rc -eq 130 ] || [ $$rc -eq 143 ]; then exit 0; fi; exit $$rc

# Runs every test (unit, contract, interop, durability). SEALPOST_REQUIRE_INTEROP=1 turns a missing peer into a failure.
test: check-jdk
	$(MVN) install

# The reliability battery (docs/reliability.md): SIGKILL under mixed load, hostile clients, disk and DNS faults.
# Not part of `make test`; builds with `mvn test` (no install). Exit 1 when an acknowledged message is lost
# or an unexpected error occurred.
reliability-quick: check-jdk
	reliability/run.sh quick

reliability: check-jdk
	reliability/run.sh full

clean:
	$(MVN) -q clean
	rm -rf dist/sealpost
