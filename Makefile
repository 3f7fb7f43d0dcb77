# claude-code-api: build, test and run. See README.md.
#
#   make build   compile (javac --release 22) and pack build/claude-code-api.jar
#   make demo    the whole stack offline, no account: the pinned CLI, a stand-in model API, the gateway,
#                and a scripted three-turn conversation showing session reuse
#   make run     the gateway on the claude from your PATH (PORT=8080; more options: ARGS='--pool-size 4')
#   make test    fetch JUnit, the pinned claude CLI, the npm clients and jbang into .cache/, run every
#                test, end with "tests: N passed, N failed[, N skipped]"
#   make soak    the long variants of the fault tests (tens of minutes): 20,000,000 fuzzed JSON inputs,
#                100,000 concurrent backend turns, 10,000 PTY spawn/close cycles, 1,000 real-CLI turns
#   make jlink   a minimal runtime image in build/image (java.base, jdk.httpserver, this module)
#   make transcripts   re-record test/resources/transcripts/ with the real CLI and the mock
#   make bench   benchmarks against baselines measured in the same run (claude -p, Jackson; JMH):
#                prints "BENCH <name> <value> <unit>" lines and a table (docs/PERFORMANCE.md)
#
# Everything fetched lives in .cache/ (git-ignored); everything built in build/.

SHELL := /bin/bash
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:

VERSION             := 0.1.0
JUNIT_VERSION       := 1.11.4
CLAUDE_CODE_VERSION := 2.1.331
# Clients for the gateway's end-to-end tests (openai 7.x declares node >= 22; it runs on node 20, see README)
ANTHROPIC_SDK_VERSION := 1.14.0
OPENAI_SDK_VERSION    := 7.57.0
JBANG_VERSION         := 0.132.1
# Benchmarks only (never on the library's class path): JMH and Jackson as the JSON baseline
JMH_VERSION     := 1.37
JACKSON_VERSION := 2.18.2

CACHE := .cache
BUILD := build

# A JDK 22+ (the FFM API is final from 22). `jdk` stops the build with a one-line reason when none is found.
JDK   := $(shell bash .ci/find-jdk 2>/dev/null)
JAVA  := $(JDK)/bin/java
JAVAC := $(JDK)/bin/javac
JAR   := $(JDK)/bin/jar
JLINK := $(JDK)/bin/jlink

JAVAC_FLAGS := --release 22 -encoding UTF-8 -Xlint:all,-serial,-this-escape -Werror
MAIN_CLASS  := claude.code.api.launcher.Main

MAIN_SOURCES := module-info.java $(shell find src -name '*.java' 2>/dev/null)
TEST_SOURCES := $(shell find test -name '*.java' 2>/dev/null)

JUNIT_JAR  := $(CACHE)/junit-platform-console-standalone-$(JUNIT_VERSION).jar
CLAUDE_BIN := $(CACHE)/claude-code-$(CLAUDE_CODE_VERSION)/node_modules/.bin/claude
NPM_CLIENTS       := $(CACHE)/npm-clients
NPM_CLIENTS_STAMP := $(NPM_CLIENTS)/.installed-$(ANTHROPIC_SDK_VERSION)-$(OPENAI_SDK_VERSION)
JBANG_LIB         := $(CACHE)/jbang-$(JBANG_VERSION)/lib
JBANG_STAMP       := $(JBANG_LIB)/.installed
IMAGE             := $(BUILD)/image

# The demo: the gateway's launcher talks to the test peer's mock model API (compiled without JUnit).
DEMO_SOURCES := test/claude/code/api/demo/OfflineDemo.java $(addprefix test/claude/code/api/testing/, \
	MockMessagesApi.java KeywordResponder.java MessageEncoder.java MockReply.java RecordedRequest.java ClaudeTestHome.java \
	CliPeer.java Launched.java)
PORT ?= 8080

# JVM flags shared by everything that runs our code from build/. (Run under a UTF-8 locale: the JVM
# takes its file-name encoding from it, and cwds may hold any character.)
RUN_FLAGS := --enable-native-access=ALL-UNNAMED

# `make test TEST_ARGS='--select-class claude.code.api.json.JsonConformanceTest'` runs a subset.
TEST_ARGS ?= --scan-class-path
TEST_JVM_FLAGS := $(RUN_FLAGS) -Xss1m -XX:+UseSerialGC \
	-Dproject.dir=$(CURDIR) -Dclaude.cli=$(CURDIR)/$(CLAUDE_BIN) -Dclaude.cli.version=$(CLAUDE_CODE_VERSION) \
	-Djdk.home=$(JDK) -Dgateway.jar=$(CURDIR)/$(BUILD)/claude-code-api.jar -Dgateway.image=$(CURDIR)/$(IMAGE) \
	-Dnpm.clients=$(CURDIR)/$(NPM_CLIENTS)/node_modules -Djbang.lib=$(CURDIR)/$(JBANG_LIB)


.PHONY: build test soak transcripts jdk deps clean help run demo jlink bench

help:
	@sed -n 's/^#   //p' Makefile

jdk:
	@bash .ci/find-jdk >/dev/null

build: $(BUILD)/claude-code-api.jar

$(BUILD)/classes.stamp: $(MAIN_SOURCES) | jdk
	@rm -rf $(BUILD)/classes && mkdir -p $(BUILD)/classes
	@echo "javac: $(words $(MAIN_SOURCES)) sources -> $(BUILD)/classes"
	@$(JAVAC) $(JAVAC_FLAGS) -d $(BUILD)/classes $(MAIN_SOURCES)
	@touch $@

$(BUILD)/claude-code-api.jar: $(BUILD)/classes.stamp
	@printf 'Enable-Native-Access: ALL-UNNAMED\nImplementation-Version: $(VERSION)\n' > $(BUILD)/MANIFEST.MF
	$(JAR) --create --file $@ --manifest $(BUILD)/MANIFEST.MF --main-class $(MAIN_CLASS) \
		--module-version $(VERSION) -C $(BUILD)/classes .
	@echo "built $@ ($$(du -k $@ | cut -f1) KB)"

# --- running ---------------------------------------------------------------------------------
# The gateway on the claude from PATH (logged in): http://127.0.0.1:$(PORT).
run: $(BUILD)/claude-code-api.jar
	@LANG=$${LANG:-C.UTF-8} $(JAVA) --enable-native-access=claude.code.api -p $< -m claude.code.api/$(MAIN_CLASS) \
		serve --port $(PORT) $(ARGS)

$(BUILD)/demo-classes.stamp: $(BUILD)/classes.stamp $(DEMO_SOURCES)
	@rm -rf $(BUILD)/demo-classes && mkdir -p $(BUILD)/demo-classes
	@$(JAVAC) $(JAVAC_FLAGS) -cp $(BUILD)/classes -d $(BUILD)/demo-classes $(DEMO_SOURCES)
	@touch $@

# Offline, no account: pinned CLI + stand-in model API on 127.0.0.1 + the gateway + a scripted conversation.
demo: $(BUILD)/claude-code-api.jar $(BUILD)/demo-classes.stamp $(CLAUDE_BIN)
	@LANG=C.UTF-8 LC_ALL=C.UTF-8 $(JAVA) $(RUN_FLAGS) -cp $(BUILD)/classes:$(BUILD)/demo-classes \
		claude.code.api.demo.OfflineDemo $(BUILD)/claude-code-api.jar $(CURDIR)/$(CLAUDE_BIN)

# A runtime image with only java.base, jdk.httpserver and this module; bin/claude-code-api runs the launcher.
jlink: $(IMAGE)/bin/claude-code-api

$(IMAGE)/bin/claude-code-api: $(BUILD)/claude-code-api.jar
	@rm -rf $(IMAGE)
	$(JLINK) --module-path $< --add-modules claude.code.api,jdk.httpserver \
		--strip-debug --no-header-files --no-man-pages --compress=zip-6 \
		--add-options=--enable-native-access=claude.code.api --output $(IMAGE)
	@printf '%s\n' '#!/bin/sh' '# claude-code-api on this runtime image; JAVA_OPTS adds JVM options.' \
		'DIR=$$(CDPATH= cd -- "$$(dirname -- "$$0")" && pwd)' \
		'exec "$$DIR/java" --enable-native-access=claude.code.api $$JAVA_OPTS -m claude.code.api/$(MAIN_CLASS) "$$@"' \
		> $(IMAGE)/bin/claude-code-api
	@chmod 755 $(IMAGE)/bin/claude-code-api
	@echo "image: $(IMAGE), $$(du -sh $(IMAGE) | cut -f1) ($$(du -sk $(IMAGE) | cut -f1) KB); modules: $$($(IMAGE)/bin/java --list-modules | tr '\n' ' ')"

# --- test dependencies, fetched once into .cache/ -------------------------------------------
deps: $(JUNIT_JAR) $(CLAUDE_BIN) $(NPM_CLIENTS_STAMP) $(JBANG_STAMP)

# The official SDKs the gateway's end-to-end tests drive (test/resources/clients/).
$(NPM_CLIENTS_STAMP):
	@mkdir -p $(NPM_CLIENTS)
	npm install --prefix $(NPM_CLIENTS) --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
		@anthropic-ai/sdk@$(ANTHROPIC_SDK_VERSION) openai@$(OPENAI_SDK_VERSION)
	@touch $@

# jbang (its jar and dependencies, from Maven Central), run by test/resources/jbang/jbang as jbang's own script would.
$(JBANG_STAMP):
	@mkdir -p $(JBANG_LIB)
	@printf '%s\n' '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' \
		'<groupId>local</groupId><artifactId>jbang-fetch</artifactId><version>1</version><packaging>pom</packaging>' \
		'<dependencies><dependency><groupId>dev.jbang</groupId><artifactId>jbang-cli</artifactId>' \
		'<version>$(JBANG_VERSION)</version></dependency></dependencies></project>' > $(JBANG_LIB)/../pom.xml
	mvn -q -B -f $(JBANG_LIB)/../pom.xml dependency:copy-dependencies -DoutputDirectory=lib
	@touch $@

$(JUNIT_JAR):
	@mkdir -p $(CACHE)
	mvn -q -B dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:$(JUNIT_VERSION) \
		-DoutputDirectory=$(CACHE) -Dmdep.overWriteReleases=true
	@test -s $@

$(CLAUDE_BIN):
	@mkdir -p $(dir $(CLAUDE_BIN))/..
	npm install --prefix $(CACHE)/claude-code-$(CLAUDE_CODE_VERSION) --no-save --no-package-lock \
		--no-audit --no-fund --loglevel=error @anthropic-ai/claude-code@$(CLAUDE_CODE_VERSION)
	@$(CLAUDE_BIN) --version

# --- tests ------------------------------------------------------------------------------------
$(BUILD)/test-classes.stamp: $(BUILD)/classes.stamp $(TEST_SOURCES) $(JUNIT_JAR)
	@rm -rf $(BUILD)/test-classes && mkdir -p $(BUILD)/test-classes
	@echo "javac: $(words $(TEST_SOURCES)) test sources -> $(BUILD)/test-classes"
	@$(JAVAC) $(JAVAC_FLAGS) -cp $(BUILD)/classes:$(JUNIT_JAR) -d $(BUILD)/test-classes $(TEST_SOURCES)
	@touch $@

test: $(BUILD)/test-classes.stamp $(CLAUDE_BIN) $(NPM_CLIENTS_STAMP) $(JBANG_STAMP) $(IMAGE)/bin/claude-code-api
	@mkdir -p $(BUILD)/test-reports
	@set -o pipefail; LANG=C.UTF-8 LC_ALL=C.UTF-8 $(JAVA) $(TEST_JVM_FLAGS) -jar $(JUNIT_JAR) execute \
		--class-path $(BUILD)/classes:$(BUILD)/test-classes $(TEST_ARGS) \
		--disable-banner --disable-ansi-colors --details=tree \
		--reports-dir $(BUILD)/test-reports 2>&1 | tee $(BUILD)/test-output.txt; \
		bash .ci/test-summary $(BUILD)/test-output.txt

# The fault tests' long variants: the same tests with bigger counts (make test runs 1,000,000 fuzzed
# inputs, 10,000 concurrent turns, 1,000 spawn/close cycles and 200 real-CLI turns).
soak: TEST_JVM_FLAGS += -Djson.fuzz.mutations=20000000 -Dconcurrency.turns.per.client=1000 \
	-Dsoak.cycles=10000 -Dsoak.turns=1000
soak: TEST_ARGS = --select-class claude.code.api.json.JsonFuzzTest --select-class claude.code.api.BackendConcurrencyTest \
	--select-class claude.code.api.faults.SpawnCloseCyclesTest --select-class claude.code.api.faults.RealCliTurnsSoakTest
soak: test

# Fixture transcripts recorded from the real CLI against the mock (see test/resources/transcripts/README.md).
transcripts: $(BUILD)/test-classes.stamp $(CLAUDE_BIN)
	$(JAVA) $(TEST_JVM_FLAGS) -cp $(BUILD)/classes:$(BUILD)/test-classes \
		claude.code.api.testing.TranscriptRecorder test/resources/transcripts

# --- benchmarks -------------------------------------------------------------------------------
# bench/ + the test peer (mock Messages API, isolated CLI home), compiled without JUnit, with JMH's
# annotation processor. JMH and Jackson live in .cache/bench/ and on the benchmark's class path only.
BENCH_DIR     := $(CACHE)/bench
BENCH_ARTIFACTS := org.openjdk.jmh:jmh-core:$(JMH_VERSION) org.openjdk.jmh:jmh-generator-annprocess:$(JMH_VERSION) \
	net.sf.jopt-simple:jopt-simple:5.0.4 org.apache.commons:commons-math3:3.6.1 \
	com.fasterxml.jackson.core:jackson-databind:$(JACKSON_VERSION) com.fasterxml.jackson.core:jackson-core:$(JACKSON_VERSION) \
	com.fasterxml.jackson.core:jackson-annotations:$(JACKSON_VERSION)
BENCH_STAMP   := $(BENCH_DIR)/.installed-$(JMH_VERSION)-$(JACKSON_VERSION)
BENCH_JARS    := jmh-core-$(JMH_VERSION) jmh-generator-annprocess-$(JMH_VERSION) jopt-simple-5.0.4 commons-math3-3.6.1 \
	jackson-databind-$(JACKSON_VERSION) jackson-core-$(JACKSON_VERSION) jackson-annotations-$(JACKSON_VERSION)
EMPTY :=
BENCH_CP      := $(subst $(EMPTY) $(EMPTY),:,$(patsubst %,$(BENCH_DIR)/%.jar,$(BENCH_JARS)))
BENCH_SOURCES := $(shell find bench -name '*.java' 2>/dev/null) $(filter-out %/OfflineDemo.java,$(DEMO_SOURCES))

$(BENCH_STAMP):
	@mkdir -p $(BENCH_DIR)
	@for a in $(BENCH_ARTIFACTS); do \
		mvn -q -B dependency:copy -Dartifact=$$a -DoutputDirectory=$(BENCH_DIR) -Dmdep.overWriteReleases=true || exit 1; \
	done
	@touch $@

$(BUILD)/bench-classes.stamp: $(BUILD)/classes.stamp $(BENCH_SOURCES) $(BENCH_STAMP)
	@rm -rf $(BUILD)/bench-classes && mkdir -p $(BUILD)/bench-classes
	@echo "javac: $(words $(BENCH_SOURCES)) bench sources -> $(BUILD)/bench-classes"
	@$(JAVAC) --release 22 -encoding UTF-8 -Xlint:all,-serial,-this-escape,-processing -Werror \
		-cp $(BUILD)/classes:$(BENCH_CP) -processorpath $(BENCH_CP) -d $(BUILD)/bench-classes $(BENCH_SOURCES)
	@touch $@

bench: $(BUILD)/claude-code-api.jar $(BUILD)/bench-classes.stamp $(CLAUDE_BIN)
	@LANG=C.UTF-8 LC_ALL=C.UTF-8 $(JAVA) $(RUN_FLAGS) -Xss1m \
		-cp $(BUILD)/classes:$(BUILD)/bench-classes:$(BENCH_CP) \
		-Dclaude.cli=$(CURDIR)/$(CLAUDE_BIN) -Dclaude.cli.version=$(CLAUDE_CODE_VERSION) \
		-Dgateway.jar=$(CURDIR)/$(BUILD)/claude-code-api.jar \
		claude.code.api.bench.BenchMain $(BENCH_ARGS)

clean:
	rm -rf $(BUILD)
