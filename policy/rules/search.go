package rules

import (
	"fmt"
	"strings"
)

const typeOpenSearch = "aws:opensearch/domain:Domain"

// openSearchTLSPolicies are the TLS 1.2+ policies Opensearch.8 accepts.
var openSearchTLSPolicies = map[string]bool{
	"Policy-Min-TLS-1-2-2019-07":              true,
	"Policy-Min-TLS-1-2-PFS-2023-10":          true,
	"Policy-Min-TLS-1-2-RFC9151-FIPS-2024-08": true,
}

// searchRules are the OpenSearch AWS Foundational Security Best Practices controls and the OpenSearch
// versions Morpheus supports.
func searchRules() []Rule {
	return []Rule{
		{
			Name: "opensearch-encrypted-at-rest", Control: "Opensearch.1", Level: Mandatory,
			Description: "OpenSearch domains encrypt at rest with a customer managed key.",
			Why:         "FSBP control; encryption at rest cannot be added later without a new domain.",
			Check:       only(checkOSAtRest, typeOpenSearch),
		},
		{
			Name: "opensearch-node-to-node-encryption", Control: "Opensearch.3", Level: Mandatory,
			Description: "OpenSearch domains encrypt node-to-node traffic.",
			Why:         "FSBP control; required for fine-grained access control too.",
			Check:       only(checkOSNodeToNode, typeOpenSearch),
		},
		{
			Name: "opensearch-https-tls12", Control: "Opensearch.8", Level: Mandatory,
			Description: "OpenSearch domains enforce HTTPS with a TLS 1.2+ policy.",
			Why:         "FSBP control; Morpheus sends the FGAC password with basic auth on every request.",
			Check:       only(checkOSTLS, typeOpenSearch),
		},
		{
			Name: "opensearch-in-vpc", Control: "Opensearch.2", Level: Mandatory,
			Description: "OpenSearch domains live in the VPC (vpcOptions.subnetIds set).",
			Why:         "FSBP control; a public endpoint would rely on the password alone.",
			Check:       only(checkOSVPC, typeOpenSearch),
		},
		{
			Name: "opensearch-fine-grained-access", Control: "Opensearch.7", Level: Mandatory,
			Description: "OpenSearch domains enable fine-grained access control with the internal user database.",
			Why:         "FSBP control, and Morpheus authenticates with basic auth, which needs internal users (the vendor's OpenSearch guide).",
			Check:       only(checkOSFGAC, typeOpenSearch),
		},
		{
			Name: "opensearch-application-logs", Control: "Opensearch.4", Level: Mandatory,
			Description: "OpenSearch domains publish ES_APPLICATION_LOGS to CloudWatch Logs.",
			Why:         "FSBP control; the only view of domain errors.",
			Check:       only(logCheck("ES_APPLICATION_LOGS"), typeOpenSearch),
		},
		{
			Name: "opensearch-audit-logs", Control: "Opensearch.5", Level: Mandatory,
			Description: "OpenSearch domains publish AUDIT_LOGS to CloudWatch Logs.",
			Why:         "FSBP control; who read or changed the Morpheus indices.",
			Check:       only(logCheck("AUDIT_LOGS"), typeOpenSearch),
		},
		{
			Name: "opensearch-ha", Control: "Opensearch.6", Level: Mandatory,
			Description: "In prod, OpenSearch domains have at least 3 data nodes with zone awareness.",
			Why:         "FSBP control; the HA layout must survive an AZ loss. Dev's single node is its documented cost trade-off, so it applies to prod.",
			Check:       only(checkOSHA, typeOpenSearch),
		},
		{
			Name: "opensearch-dedicated-masters", Control: "Opensearch.11", Level: Advisory,
			Description: "In prod, OpenSearch domains have 3 dedicated master nodes.",
			Why:         "The control id is unconfirmed; the vendor recommends masters but a 3-node domain elects one itself.",
			Check:       only(checkOSMasters, typeOpenSearch),
		},
		{
			Name: "opensearch-auto-software-update", Control: "Opensearch.10", Level: Mandatory,
			Description: "OpenSearch domains install service software updates automatically.",
			Why:         "FSBP control; security fixes arrive in the off-peak window.",
			Check:       only(checkOSUpdates, typeOpenSearch),
		},
		{
			Name: "opensearch-version", Control: "Morpheus requirement", Level: Mandatory,
			Description: "OpenSearch domains run OpenSearch 2.x (engineVersion OpenSearch_2.<minor>).",
			Why:         "Morpheus' vendor guide supports OpenSearch 2.x only; 1.x and 3.x are untested.",
			Check:       only(checkOSVersion, typeOpenSearch),
		},
	}
}

func checkOSAtRest(_ Context, r Resource) []string {
	var m msgs
	on, _ := r.flag("encryptAtRest.enabled")
	m.need(on || isUnknown(r.Inputs["encryptAtRest"]), "encryptAtRest.enabled is not true")
	m.need(r.isSet("encryptAtRest.kmsKeyId") || isUnknown(r.Inputs["encryptAtRest"]), "encryptAtRest.kmsKeyId is unset; use the stack's customer managed key")
	return m
}

func checkOSNodeToNode(_ Context, r Resource) []string {
	if on, _ := r.flag("nodeToNodeEncryption.enabled"); !on && !isUnknown(r.Inputs["nodeToNodeEncryption"]) {
		return []string{"nodeToNodeEncryption.enabled is not true"}
	}
	return nil
}

func checkOSTLS(_ Context, r Resource) []string {
	if isUnknown(r.Inputs["domainEndpointOptions"]) {
		return nil
	}
	var m msgs
	on, _ := r.flag("domainEndpointOptions.enforceHttps")
	m.need(on, "domainEndpointOptions.enforceHttps is not true")
	p, _ := r.get("domainEndpointOptions.tlsSecurityPolicy")
	s, _ := p.(string)
	m.need(openSearchTLSPolicies[s] || isUnknown(p), fmt.Sprintf("domainEndpointOptions.tlsSecurityPolicy is %s; use \"Policy-Min-TLS-1-2-PFS-2023-10\"", show(p)))
	return m
}

func checkOSVPC(_ Context, r Resource) []string {
	if len(r.list("vpcOptions.subnetIds")) > 0 || isUnknown(r.Inputs["vpcOptions"]) {
		return nil
	}
	return []string{"vpcOptions.subnetIds is unset: the domain would have a public endpoint"}
}

func checkOSFGAC(_ Context, r Resource) []string {
	if isUnknown(r.Inputs["advancedSecurityOptions"]) {
		return nil
	}
	var m msgs
	on, _ := r.flag("advancedSecurityOptions.enabled")
	m.need(on, "advancedSecurityOptions.enabled is not true")
	internal, _ := r.flag("advancedSecurityOptions.internalUserDatabaseEnabled")
	m.need(internal, "advancedSecurityOptions.internalUserDatabaseEnabled is not true; Morpheus logs in as an internal user")
	return m
}

// logCheck returns a check that the domain publishes logType to CloudWatch.
func logCheck(logType string) func(Context, Resource) []string {
	return func(_ Context, r Resource) []string {
		if isUnknown(r.Inputs["logPublishingOptions"]) {
			return nil
		}
		for _, o := range maps(r.list("logPublishingOptions")) {
			enabled, set := boolean(o["enabled"])
			group, _ := o["cloudwatchLogGroupArn"].(string)
			if o["logType"] == logType && (enabled || !set) && group != "" {
				return nil
			}
		}
		return []string{fmt.Sprintf("logPublishingOptions has no enabled %s entry with a cloudwatchLogGroupArn", logType)}
	}
}

func checkOSHA(ctx Context, r Resource) []string {
	if !ctx.Prod() || isUnknown(r.Inputs["clusterConfig"]) {
		return nil
	}
	var m msgs
	n, _ := r.num("clusterConfig.instanceCount")
	m.need(n >= 3, fmt.Sprintf("clusterConfig.instanceCount is %v in prod; use at least 3", n))
	za, _ := r.flag("clusterConfig.zoneAwarenessEnabled")
	m.need(za, "clusterConfig.zoneAwarenessEnabled is not true in prod")
	return m
}

func checkOSMasters(ctx Context, r Resource) []string {
	if !ctx.Prod() || isUnknown(r.Inputs["clusterConfig"]) {
		return nil
	}
	on, _ := r.flag("clusterConfig.dedicatedMasterEnabled")
	n, _ := r.num("clusterConfig.dedicatedMasterCount")
	if on && n >= 3 {
		return nil
	}
	return []string{fmt.Sprintf("prod has dedicatedMasterEnabled %v with %v masters; use 3 dedicated masters", on, n)}
}

func checkOSUpdates(_ Context, r Resource) []string {
	if on, _ := r.flag("softwareUpdateOptions.autoSoftwareUpdateEnabled"); !on && !isUnknown(r.Inputs["softwareUpdateOptions"]) {
		return []string{"softwareUpdateOptions.autoSoftwareUpdateEnabled is not true"}
	}
	return nil
}

func checkOSVersion(_ Context, r Resource) []string {
	raw, _ := r.get("engineVersion")
	if isUnknown(raw) {
		return nil
	}
	v, _ := raw.(string)
	minor := strings.TrimPrefix(v, "OpenSearch_2.")
	if minor != v && minor != "" && strings.Trim(minor, "0123456789") == "" {
		return nil
	}
	return []string{fmt.Sprintf("engineVersion is %s; Morpheus supports OpenSearch 2.x (\"OpenSearch_2.19\")", show(raw))}
}
