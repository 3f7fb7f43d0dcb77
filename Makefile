# claude-code-api: build, test and run. See README.md.
#
#   make build   compile (javac --release 22) and pack build/claude-code-api.jar
#   make test    fetch JUnit and the pinned claude CLI into .cache/, run every test,
#                end with "tests: N passed, N failed[, N skipped]"
#   make transcripts   re-record test/resources/transcripts/ with the real CLI and the mock
#
# Everything fetched lives in .cache/ (git-ignored); everything built in build/.

SHELL := /bin/bash
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:

VERSION             := 0.1.0
JUNIT_VERSION       := 1.11.4
CLAUDE_CODE_VERSION := 2.1.331

CACHE := .cache
BUILD := build

# A JDK 22+ (the FFM API is final from 22). `jdk` stops the build with a one-line reason when none is found.
JDK   := $(shell bash .ci/find-jdk 2>/dev/null)
JAVA  := $(JDK)/bin/java
JAVAC := $(JDK)/bin/javac
JAR   := $(JDK)/bin/jar

JAVAC_FLAGS := --release 22 -encoding UTF-8 -Xlint:all,-serial,-this-escape -Werror
MAIN_CLASS  := claude.code.api.launcher.Main

MAIN_SOURCES := module-info.java $(shell find src -name '*.java' 2>/dev/null)
TEST_SOURCES := $(shell find test -name '*.java' 2>/dev/null)

JUNIT_JAR  := $(CACHE)/junit-platform-console-standalone-$(JUNIT_VERSION).jar
CLAUDE_BIN := $(CACHE)/claude-code-$(CLAUDE_CODE_VERSION)/node_modules/.bin/claude

# JVM flags shared by everything that runs our code from build/. (Run under a UTF-8 locale: the JVM
# takes its file-name encoding from it, and cwds may hold any character.)
RUN_FLAGS := --enable-native-access=ALL-UNNAMED

# `make test TEST_ARGS='--select-class claude.code.api.json.JsonConformanceTest'` runs a subset.
TEST_ARGS ?= --scan-class-path
TEST_JVM_FLAGS := $(RUN_FLAGS) -Xss1m -XX:+UseSerialGC \
	-Dproject.dir=$(CURDIR) -Dclaude.cli=$(CURDIR)/$(CLAUDE_BIN) -Dclaude.cli.version=$(CLAUDE_CODE_VERSION)

.PHONY: build test transcripts jdk deps clean help

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
	@printf 'Enable-Native-Access: ALL-UNNAMED\n' > $(BUILD)/MANIFEST.MF
	$(JAR) --create --file $@ --manifest $(BUILD)/MANIFEST.MF --main-class $(MAIN_CLASS) \
		--module-version $(VERSION) -C $(BUILD)/classes .
	@echo "built $@ ($$(du -k $@ | cut -f1) KB)"

# --- test dependencies, fetched once into .cache/ -------------------------------------------
deps: $(JUNIT_JAR) $(CLAUDE_BIN)

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

test: $(BUILD)/test-classes.stamp $(CLAUDE_BIN)
	@mkdir -p $(BUILD)/test-reports
	@set -o pipefail; LANG=C.UTF-8 LC_ALL=C.UTF-8 $(JAVA) $(TEST_JVM_FLAGS) -jar $(JUNIT_JAR) execute \
		--class-path $(BUILD)/classes:$(BUILD)/test-classes $(TEST_ARGS) \
		--disable-banner --disable-ansi-colors --details=tree \
		--reports-dir $(BUILD)/test-reports 2>&1 | tee $(BUILD)/test-output.txt; \
		bash .ci/test-summary $(BUILD)/test-output.txt

# Fixture transcripts recorded from the real CLI against the mock (see test/resources/transcripts/README.md).
transcripts: $(BUILD)/test-classes.stamp $(CLAUDE_BIN)
	$(JAVA) $(TEST_JVM_FLAGS) -cp $(BUILD)/classes:$(BUILD)/test-classes \
		claude.code.api.testing.TranscriptRecorder test/resources/transcripts

clean:
	rm -rf $(BUILD)
