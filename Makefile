# claude-code-api: build, test and run. See README.md.
#
#   make build   compile and pack build/claude-code-api.jar with the JDK it finds (JAVA_HOME, else the newest
#                JDK 21+ under /usr/lib/jvm): on 22+ javac --release 22; on 21 --release 21 --enable-preview
#   make demo    the whole stack offline, no account: the pinned CLI, a stand-in model API, the gateway,
#                and a scripted three-turn conversation showing session reuse
#   make run     the gateway on the claude from your PATH (PORT=8080; more options: ARGS='--pool-size 4')
#   make test    fetch JUnit, the pinned claude CLI, the npm clients and jbang into .cache/, run every
#                test, then a part of them on JDK 21 (make test-jdk21), end with "tests: N passed, N failed[, N skipped]"
#   make test-jdk21   the JSON, PTY, session and gateway fault tests and one gateway turn on the real CLI, on JDK 21:
#                JDK21_HOME, a JDK 21 under /usr/lib/jvm, or Debian 13's fetched into .cache/ (.ci/fetch-jdk21)
#   make drift   the real-CLI end-to-end tests on another CLI version (CLI_VERSION=2.1.332; default: npm's newest)
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
CLAUDE_CODE_VERSION := 2.1.332
# Clients for the gateway's end-to-end tests (openai 7.x declares node >= 22; it runs on node 20, see README)
ANTHROPIC_SDK_VERSION := 1.14.0
OPENAI_SDK_VERSION    := 7.57.0
JBANG_VERSION         := 0.132.1
# Benchmarks only (never on the library's class path): JMH and Jackson as the JSON baseline
JMH_VERSION     := 1.37
JACKSON_VERSION := 2.18.2

CACHE := .cache
BUILD := build

# A JDK 21+ (.ci/find-jdk: JAVA_HOME, else the newest under /usr/lib/jvm). `jdk` stops the build with a
# one-line reason when there is none, or when JAVA_HOME names something else. The FFM API is final from
# 22 and a preview in 21, so on 21 everything is compiled with --release 21 --enable-preview and run with
# --enable-preview (those classes then run on JDK 21 only); on 22+ with --release 22, a 22+ build.
JDK       := $(shell bash .ci/find-jdk 2>/dev/null)
JDK_MAJOR := $(if $(JDK),$(shell bash .ci/find-jdk --major '$(JDK)'))
JAVA  := $(JDK)/bin/java
JAVAC := $(JDK)/bin/javac
JAR   := $(JDK)/bin/jar
JLINK := $(JDK)/bin/jlink

ifeq ($(JDK_MAJOR),21)
JAVA_RELEASE := 21
PREVIEW      := --enable-preview
LINT         := -Xlint:all,-serial,-this-escape,-preview
else
JAVA_RELEASE := 22
PREVIEW      :=
LINT         := -Xlint:all,-serial,-this-escape
endif
# Debian 13's JDK 21 as .ci/fetch-jdk21 unpacks it runs on its own libc; an image jlink made from it would not.
JLINK_UNSUPPORTED := $(wildcard $(JDK)/jlink-unsupported)

JAVAC_FLAGS := --release $(JAVA_RELEASE) $(PREVIEW) -encoding UTF-8 $(LINT) -Werror
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
RUN_FLAGS := $(PREVIEW) --enable-native-access=ALL-UNNAMED

# `make test TEST_ARGS='--select-class claude.code.api.json.JsonConformanceTest'` runs a subset.
TEST_ARGS ?= --scan-class-path
# The jlink image the launcher tests start; none where jlink is unsupported (the test is then skipped).
TEST_IMAGE ?= $(if $(JLINK_UNSUPPORTED),,$(IMAGE)/bin/claude-code-api)
TEST_JVM_FLAGS := $(RUN_FLAGS) -Xss1m -XX:+UseSerialGC \
	-Dproject.dir=$(CURDIR) -Dclaude.cli=$(CURDIR)/$(CLAUDE_BIN) -Dclaude.cli.version=$(CLAUDE_CODE_VERSION) \
	-Djdk.home=$(JDK) -Dbuild.classes=$(CURDIR)/$(BUILD)/classes -Dgateway.jar=$(CURDIR)/$(BUILD)/claude-code-api.jar \
	-Dgateway.image=$(if $(TEST_IMAGE),$(CURDIR)/$(IMAGE)) \
	-Dnpm.clients=$(CURDIR)/$(NPM_CLIENTS)/node_modules -Djbang.lib=$(CURDIR)/$(JBANG_LIB)

# The part of the suite `make test` runs on JDK 21 as well, when it runs everything on a newer JDK
# (make test-jdk21 alone; JDK21_TESTS=no leaves it out): the JSON parser, the PTY (the FFM code), the
# session on the real CLI, the gateway's fault tests (slow and half-sent requests: virtual threads pin
# their carrier in synchronized code before JDK 24), one gateway conversation through the official
# SDK on the real CLI, and jbang-launcher.java run by jbang (//PREVIEW on 21).
JDK21_TEST_ARGS ?= --select-package claude.code.api.json --select-package claude.code.api.pty \
	--select-package claude.code.api.session --select-class claude.code.api.gateway.GatewayFaultsTest \
	--select-method claude.code.api.gateway.GatewayRealCliTest\#theAnthropicSdkHoldsAThreeTurnConversationOnOneCliSession \
	--select-class claude.code.api.launcher.JbangLauncherTest
JDK21_PART  ?= JSON, PTY, session, gateway faults, a gateway conversation, jbang
JDK21_BUILD := $(BUILD)/jdk21
JDK21_TESTS ?= $(if $(filter 21,$(JDK_MAJOR)),no,$(if $(filter --scan-class-path,$(TEST_ARGS)),yes,no))


.PHONY: build test test-suite test-jdk21 test-jdk21-part drift drift-probe soak transcripts jdk deps clean help run demo jlink bench FORCE

help:
	@sed -n 's/^#   //p' Makefile

jdk:
	@bash .ci/find-jdk >/dev/null
	@echo "JDK $(JDK_MAJOR): $(JDK) (javac --release $(JAVA_RELEASE)$(if $(PREVIEW), --enable-preview; runs with --enable-preview))"

# Which JDK built build/: a different one (JAVA_HOME=... make) rebuilds everything.
$(BUILD)/jdk.id: FORCE | jdk
	@mkdir -p $(BUILD); id='$(JDK) $(JDK_MAJOR)'; [ "$$(cat $@ 2>/dev/null)" = "$$id" ] || echo "$$id" > $@

build: $(BUILD)/claude-code-api.jar

$(BUILD)/classes.stamp: $(MAIN_SOURCES) $(BUILD)/jdk.id
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
	@LANG=$${LANG:-C.UTF-8} $(JAVA) $(PREVIEW) --enable-native-access=claude.code.api -p $< -m claude.code.api/$(MAIN_CLASS) \
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
# (The space that starts --add-options' value: JDK 21's jlink takes a value starting with --enable-preview
# for an option of its own and refuses it.)
jlink: $(IMAGE)/bin/claude-code-api

$(IMAGE)/bin/claude-code-api: $(BUILD)/claude-code-api.jar
	@if [ -n "$(JLINK_UNSUPPORTED)" ]; then echo "jlink: skipped under $(JDK): $$(cat $(JLINK_UNSUPPORTED))" >&2; exit 1; fi
	@rm -rf $(IMAGE)
	$(JLINK) --module-path $< --add-modules claude.code.api,jdk.httpserver \
		--strip-debug --no-header-files --no-man-pages --compress=zip-6 \
		--add-options=' $(strip $(PREVIEW) --enable-native-access=claude.code.api)' --output $(IMAGE)
	@printf '%s\n' '#!/bin/sh' '# claude-code-api on this runtime image; JAVA_OPTS adds JVM options.' \
		'DIR=$$(CDPATH= cd -- "$$(dirname -- "$$0")" && pwd)' \
		'exec "$$DIR/java" $(PREVIEW) --enable-native-access=claude.code.api $$JAVA_OPTS -m claude.code.api/$(MAIN_CLASS) "$$@"' \
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

# The closing line counts both runs: JUnit's output of each is read by .ci/test-summary.
SUITE_PARTS := $(if $(filter yes,$(JDK21_TESTS)),'JDK $(JDK_MAJOR)=$(BUILD)/test-output.txt' \
	'JDK 21 ($(JDK21_PART))=$(JDK21_BUILD)/test-output.txt',$(BUILD)/test-output.txt)
test: test-suite $(if $(filter yes,$(JDK21_TESTS)),test-jdk21-part)
	@bash .ci/test-summary $(SUITE_PARTS)

# TEST_ARGS on this JDK; JUnit's output (with its counts) goes to $(BUILD)/test-output.txt. Failures
# do not stop make here: the summary after it reports them and fails.
TEST_OUTPUT ?= $(BUILD)/test-output.txt
# The benchmarks are compiled too (not run), so a change that breaks them fails the tests.
test-suite: $(BUILD)/test-classes.stamp $(BUILD)/bench-classes.stamp $(BUILD)/claude-code-api.jar $(CLAUDE_BIN) $(NPM_CLIENTS_STAMP) $(JBANG_STAMP) $(TEST_IMAGE)
	@mkdir -p $(dir $(TEST_OUTPUT))test-reports
	@LANG=C.UTF-8 LC_ALL=C.UTF-8 $(JAVA) $(TEST_JVM_FLAGS) -jar $(JUNIT_JAR) execute \
		--class-path $(BUILD)/classes:$(BUILD)/test-classes $(TEST_ARGS) \
		--disable-banner --disable-ansi-colors --details=tree \
		--reports-dir $(dir $(TEST_OUTPUT))test-reports 2>&1 | tee $(TEST_OUTPUT) || true

# JDK21_TEST_ARGS on a JDK 21, built apart in $(JDK21_BUILD) (.ci/test-jdk21 says which JDK, or why none).
test-jdk21-part: $(CLAUDE_BIN) $(NPM_CLIENTS_STAMP) $(JBANG_STAMP) $(JUNIT_JAR)
	@bash .ci/test-jdk21 $(JDK21_BUILD) $(JDK21_TEST_ARGS)

test-jdk21: test-jdk21-part
	@bash .ci/test-summary '$(JDK21_BUILD)/test-output.txt'

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

# --- CLI drift ------------------------------------------------------------------------------------
# `make drift [CLI_VERSION=2.1.332]` (default: npm's newest): the real-CLI end-to-end tests on that CLI,
# and CliDriftProbe (record shapes, hook inputs, screens) on it and on the pin, diffed (.ci/cli-drift).
CLI_VERSION ?=
export DRIFT_TEST_ARGS := --scan-class-path --include-classname '.*RealCli.*Test' \
	--include-classname 'claude\.code\.api\.launcher\..*Test'
DRIFT_PROBE_OUT ?= $(BUILD)/drift/probe-$(CLAUDE_CODE_VERSION).txt

drift: $(BUILD)/test-classes.stamp
	@bash .ci/cli-drift $(CLAUDE_CODE_VERSION) $(CLI_VERSION)

drift-probe: $(BUILD)/test-classes.stamp $(CLAUDE_BIN)
	@LANG=C.UTF-8 LC_ALL=C.UTF-8 $(JAVA) $(TEST_JVM_FLAGS) -cp $(BUILD)/classes:$(BUILD)/test-classes \
		claude.code.api.testing.CliDriftProbe $(DRIFT_PROBE_OUT)

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
	@$(JAVAC) $(JAVAC_FLAGS) -Xlint:-processing \
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
