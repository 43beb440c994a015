# homestack — `make help` lists every target.
SHELL := /usr/bin/env bash
MVN ?= mvn -B
REGISTRY ?= localhost:5111
BUNDLE ?= apps/media

.DEFAULT_GOAL := help

.PHONY: help
help: ## List every target with what it does
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Variables: BUNDLE=$(BUNDLE) (for 'bundle'), REGISTRY=$(REGISTRY) (for 'push' and 'registry-up')"

.PHONY: build
build: ## Build, validate and package every bundle and release; install them in ~/.m2 (tests included)
	$(MVN) install

.PHONY: test
test: ## What CI runs: lint, reproducibility, the fresh-clone check, every module's tests, then a summary
	$(MAKE) lint
	$(MAKE) reproducible
	$(MAKE) fresh-clone
	@status=0; $(MVN) clean verify || status=$$?; java scripts/TestSummary.java . || status=1; exit $$status

.PHONY: fresh-clone
fresh-clone: ## The README's `mvn install` in a clean clone without any test tool: must pass, skips counted
	scripts/check-fresh-clone.sh

.PHONY: test-summary
test-summary: ## Tests run, failed and skipped (grouped by reason) from the last build's reports
	@java scripts/TestSummary.java .

.PHONY: reproducible
reproducible: ## Build everything twice from clean; fail unless every artifact digest is identical
	scripts/check-reproducible.sh

.PHONY: deps
deps: ## Install what the tests need (Debian packages, envtest binaries built from Go modules)
	scripts/install-test-deps.sh

.PHONY: binaries
binaries: ## Build the envtest control plane (kube-apiserver, etcd, kwok, sealed-secrets) into ~/.kubeapitest
	tooling/k8s-test-binaries/build.sh

.PHONY: bundle
bundle: ## Build one bundle and what it needs, tests skipped: make bundle BUNDLE=apps/media
	$(MVN) install -pl $(BUNDLE) -am -DskipTests

.PHONY: registry-up
registry-up: ## Start a local OCI registry (Debian's docker-registry) on REGISTRY for pushing without k3d
	scripts/registry.sh start $(REGISTRY)

.PHONY: registry-down
registry-down: ## Stop the local registry started by registry-up
	scripts/registry.sh stop $(REGISTRY)

.PHONY: push
push: ## Push every bundle and release to REGISTRY (plain HTTP for localhost)
	$(MVN) deploy -DskipTests -Dhomestack.registry=$(REGISTRY)

.PHONY: seal
seal: ## Seal a Secret offline: make seal ENV=k3d|k3s IN=secret.yaml [OUT=sealed.yaml] [SCOPE=strict] (docs/sealed-secrets.md)
	@scripts/seal.sh $(if $(SCOPE),--scope "$(SCOPE)") $(if $(OUT),--out "$(OUT)") "$(ENV)" "$(IN)"

.PHONY: lint
lint: ## shellcheck every shell script; every `make <target>` the docs and messages name exists
	shellcheck -x -P SCRIPTDIR .ci/run scripts/*.sh tooling/k8s-test-binaries/*.sh
	scripts/check-make-targets.sh

.PHONY: bench
bench: ## Measure build times (docs/performance.md)
	scripts/bench.sh

.PHONY: clean
clean: ## Remove build output
	$(MVN) -q clean
