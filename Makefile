# homestack — `make help` lists every target.
SHELL := /usr/bin/env bash
MVN ?= mvn -B
REGISTRY ?= localhost:5111
BUNDLE ?= apps/media
RELEASE ?= clusters/k3d
PREFIX ?= homestack

.DEFAULT_GOAL := help

.PHONY: help
help: ## List every target with what it does
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Variables: BUNDLE=$(BUNDLE) (for 'bundle'), REGISTRY=$(REGISTRY) (for 'push' and 'registry-up'),"
	@echo "           RELEASE=$(RELEASE) (for 'preview'; its state, kubeconfig and log in PREVIEW_DIR, default .preview)"
	@echo "           PREFIX=$(PREFIX) (the repository path for 'release': REGISTRY/PREFIX/<artifact>:<version>)"

.PHONY: build
build: ## Build, validate and package every bundle and release; install them in ~/.m2 (tests included)
	$(MVN) install

.PHONY: test
test: ## What CI runs: lint; every module's tests with the reproducibility and fresh-clone checks beside them; check-push; a summary
	$(MAKE) lint
	MVN="$(MVN)" scripts/test.sh

.PHONY: check-push
check-push: ## make push to fresh local registries: everything read back; a release alone is refused
	scripts/check-push.sh

.PHONY: fresh-clone
fresh-clone: ## The README's `mvn install` in a clean clone without any test tool: must pass, skips counted
	scripts/check-fresh-clone.sh

.PHONY: test-summary
test-summary: ## Tests run, failed and skipped (grouped by reason) from the last build's reports
	@java scripts/TestSummary.java .

.PHONY: reproducible
reproducible: ## Build everything from a full clone, a shallow clone and a tarball; fail unless every digest is identical
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

.PHONY: preview
preview: ## No cluster, no Docker: the real Argo CD syncs RELEASE on envtest; prints what it did, leaves a kubeconfig (docs/e2e.md)
	@MVN="$(MVN)" scripts/preview.sh up $(RELEASE)

.PHONY: preview-down
preview-down: ## Stop the preview started by make preview and every process it started
	@scripts/preview.sh down

.PHONY: push
push: ## Push every bundle and the k3d release to REGISTRY (plain HTTP for localhost); not the k3s release (push-k3s)
	$(MVN) deploy -DskipTests -Dhomestack.registry=$(REGISTRY) -pl '!clusters/k3s,!it-tests'

.PHONY: push-k3s
push-k3s: ## Publish the k3s release and its bundles to REGISTRY; refused while clusters/k3s/inventory.yaml has placeholders
	$(MVN) deploy -DskipTests -Dhomestack.registry=$(REGISTRY) -pl clusters/k3s -am

.PHONY: release
release: ## What a v* tag publishes (release.yaml): every bundle and both releases at version VERSION, pushed to REGISTRY/PREFIX: make release VERSION=v1.2.3
	MVN="$(MVN)" scripts/release.sh publish "$(VERSION)" "$(REGISTRY)" "$(PREFIX)"

.PHONY: diff
diff: ## What changed between two releases (module or OCI layout dir, or host/repo:tag): make diff FROM=<release> TO=<release> [OUT=file.md]
	@scripts/diff.sh $(if $(OUT),--out "$(OUT)") "$(FROM)" "$(TO)"

.PHONY: label-nodes
label-nodes: ## Print the kubectl commands that label the k3s machines from clusters/k3s/inventory.yaml; APPLY=1 runs them
	@scripts/label-nodes.sh $(if $(APPLY),--apply)

.PHONY: seal
seal: ## Seal a Secret offline: make seal ENV=k3d|k3s IN=secret.yaml [OUT=sealed.yaml] [SCOPE=strict] (docs/sealed-secrets.md)
	@scripts/seal.sh $(if $(SCOPE),--scope "$(SCOPE)") $(if $(OUT),--out "$(OUT)") "$(ENV)" "$(IN)"

.PHONY: unseal
unseal: ## Disaster recovery: open a SealedSecret with the key backup: make unseal KEY=key-backup.yaml IN=sealed.yaml [OUT=secret.yaml] (docs/sealed-secrets.md)
	@scripts/unseal.sh $(if $(OUT),--out "$(OUT)") "$(KEY)" "$(IN)"

.PHONY: cluster-up
cluster-up: ## The k3d cluster of clusters/k3d/cluster.yaml (checks docker, k3d version, ports, memory first; docs/k3d.md)
	scripts/k3d.sh up

.PHONY: cluster-down
cluster-down: ## Delete the k3d cluster and its registry
	scripts/k3d.sh down

.PHONY: stack-up
stack-up: ## Push the release to the k3d registry, bootstrap Argo CD, sync the release; waits until all are Healthy
	@MVN="$(MVN)" scripts/stack.sh up

.PHONY: stack-down
stack-down: ## Remove the release and Argo CD from the k3d cluster (the cluster stays)
	@scripts/stack.sh down

.PHONY: status
status: ## The k3d cluster's Applications (wave, sync, health) and the URLs
	@scripts/stack.sh status

.PHONY: lint
lint: ## shellcheck every shell script; actionlint the workflows; every `make <target>` the docs and messages name exists; the PR tier's parts; cluster-up's logic
	shellcheck -x -P SCRIPTDIR .ci/run scripts/*.sh tooling/k8s-test-binaries/*.sh tooling/base-image/*.sh */*/manifests/base/*/*.sh
	scripts/check-make-targets.sh
	scripts/shard.sh --check
	scripts/check-k3d-scripts.sh
	scripts/lint-tools.sh

.PHONY: bench
bench: ## Measure build times (docs/performance.md)
	scripts/bench.sh

.PHONY: clean
clean: ## Remove build output
	$(MVN) -q clean
