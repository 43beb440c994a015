/**
 * Software bills of materials: what a bundle or release deploys (its charts, images and own objects) as CycloneDX,
 * attached to the artifact in the registry as an OCI 1.1 referrer.
 */
package io.homestack.bundle.sbom;
