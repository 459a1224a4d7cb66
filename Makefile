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

# dist/sealpost/: bin/sealpost, lib/*.jar, conf/sealpost.toml
dist: build
	scripts/make-dist.sh

# Runs the server on embedded defaults, data in ./demo-data (Ctrl-C stops it).
demo: dist
	dist/sealpost/bin/sealpost demo --data ./demo-data $(DEMO_ARGS)

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
	rm -rf dist
