package rules

import (
	"fmt"
	"strings"
)

const (
	typeLoadBalancer = "aws:lb/loadBalancer:LoadBalancer"
	typeListener     = "aws:lb/listener:Listener"
	typeTargetGroup  = "aws:lb/targetGroup:TargetGroup"
	typeCertificate  = "aws:acm/certificate:Certificate"
)

// elb17Policies are the TLS policies ELB.17 accepts. The 2025
// post-quantum policies are left out until ELB.17 is confirmed to accept them.
var elb17Policies = map[string]bool{
	"ELBSecurityPolicy-TLS13-1-2-2021-06":          true,
	"ELBSecurityPolicy-TLS13-1-2-Res-2021-06":      true,
	"ELBSecurityPolicy-TLS13-1-3-2021-06":          true,
	"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04":     true,
	"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04": true,
	"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04":     true,
}

// loadBalancerRules are the ALB and ACM AWS Foundational Security Best Practices controls plus the
// target group Morpheus' health check needs.
func loadBalancerRules() []Rule {
	return []Rule{
		{
			Name: "elb-listener-https", Control: "ELB.18", Level: Mandatory,
			Description: "Listeners use HTTPS, except plain HTTP listeners that only redirect (judged by elb-http-redirects-to-https).",
			Why:         "FSBP control; Morpheus carries credentials and agent websockets.",
			Check:       only(checkListenerHTTPS, typeListener),
		},
		{
			Name: "elb-http-redirects-to-https", Control: "ELB.1", Level: Mandatory,
			Description: "HTTP listeners redirect to HTTPS on 443 with HTTP_301.",
			Why:         "FSBP control; a redirect to anything else leaves users on plain HTTP.",
			Check:       only(checkHTTPRedirect, typeListener),
		},
		{
			Name: "elb-listener-tls-policy", Control: "ELB.17", Level: Mandatory,
			Description: "HTTPS listeners name a certificate and a TLS 1.2+ policy from the ELB.17 list (never the API default ELBSecurityPolicy-2016-08).",
			Why:         "FSBP control; an unset sslPolicy silently takes the 2016 policy with TLS 1.0.",
			Check:       only(checkTLSPolicy, typeListener),
		},
		{
			Name: "elb-drop-invalid-headers", Control: "ELB.4", Level: Mandatory,
			Description: "Application load balancers drop invalid HTTP headers (dropInvalidHeaderFields true).",
			Why:         "FSBP control against request smuggling; Morpheus needs no invalid headers.",
			Check:       only(checkDropInvalidHeaders, typeLoadBalancer),
		},
		{
			Name: "elb-deletion-protection", Control: "ELB.6", Level: Mandatory,
			Description: "In prod, load balancers have enableDeletionProtection true (unless allowDestroy).",
			Why:         "FSBP control; the ALB's DNS name is what users and agents reach. Dev stacks are built to be destroyed, so it applies to prod.",
			Check:       only(checkLBDeletionProtection, typeLoadBalancer),
		},
		{
			Name: "elb-access-logs", Control: "ELB.5", Level: Mandatory,
			Description: "Load balancers log access to S3 (accessLogs.enabled true, a bucket, a prefix without AWSLogs).",
			Why:         "FSBP control; the only record of who called the Morpheus API from outside.",
			Check:       only(checkAccessLogs, typeLoadBalancer),
		},
		{
			Name: "elb-desync-mitigation", Control: "ELB.12", Level: Mandatory,
			Description: "Application load balancers use desyncMitigationMode defensive (the default) or strictest, not monitor.",
			Why:         "FSBP control against HTTP desync attacks.",
			Check:       only(checkDesync, typeLoadBalancer),
		},
		{
			Name: "elb-multi-az", Control: "ELB.13", Level: Mandatory,
			Description: "Load balancers span at least two subnets (AZs).",
			Why:         "FSBP control (default minimum 2 AZs); the ALB is the single entry point, so one AZ would undo the HA layout.",
			Check:       only(checkLBMultiAZ, typeLoadBalancer),
		},
		{
			Name: "elb-target-group-https-ping", Control: "Morpheus requirement", Level: Mandatory,
			Description: "Target groups forward HTTPS and health-check with HTTPS GET /ping.",
			Why:         "Morpheus nodes speak HTTPS only and /ping is the vendor's health endpoint; any other check marks healthy nodes unhealthy or the reverse.",
			Check:       only(checkTargetGroup, typeTargetGroup),
		},
		{
			Name: "acm-certificate-key-algorithm", Control: "ACM.2", Level: Mandatory,
			Description: "ACM certificates use RSA of at least 2048 bits or an EC key.",
			Why:         "FSBP control.",
			Check:       only(checkCertKey, typeCertificate),
		},
		{
			Name: "acm-certificate-dns-validation", Control: "ACM.1", Level: Mandatory,
			Description: "ACM certificates are requested with validationMethod DNS, so ACM renews them.",
			Why:         "FSBP control; an expired certificate takes Morpheus and every agent connection down.",
			Check:       only(checkCertRenewal, typeCertificate),
		},
	}
}

// isALB reports whether a load balancer is an application load balancer
// (loadBalancerType defaults to "application").
func isALB(r Resource) bool {
	t, ok := r.str("loadBalancerType")
	return !ok || t == "application"
}

// redirectOnly reports whether an HTTP listener's default actions are a
// single redirect, the one case ELB.18 leaves to ELB.1.
func redirectOnly(r Resource) bool {
	actions := maps(r.list("defaultActions"))
	return len(actions) == 1 && actions[0]["type"] == "redirect"
}

func checkListenerHTTPS(_ Context, r Resource) []string {
	p, ok := r.str("protocol")
	if !ok || p == "HTTPS" || p == "TLS" {
		return nil
	}
	if p == "HTTP" && redirectOnly(r) {
		return nil
	}
	return []string{fmt.Sprintf("protocol is %q and the listener does not only redirect; use HTTPS", p)}
}

func checkHTTPRedirect(_ Context, r Resource) []string {
	if p, _ := r.str("protocol"); p != "HTTP" || !redirectOnly(r) {
		return nil
	}
	red, _ := maps(r.list("defaultActions"))[0]["redirect"].(map[string]any)
	var m msgs
	m.need(red["protocol"] == "HTTPS", fmt.Sprintf("redirect.protocol is %s; redirect to \"HTTPS\"", show(red["protocol"])))
	m.need(red["port"] == "443", fmt.Sprintf("redirect.port is %s; redirect to \"443\"", show(red["port"])))
	m.need(red["statusCode"] == "HTTP_301", fmt.Sprintf("redirect.statusCode is %s; use \"HTTP_301\"", show(red["statusCode"])))
	return m
}

func checkTLSPolicy(_ Context, r Resource) []string {
	if p, _ := r.str("protocol"); p != "HTTPS" && p != "TLS" {
		return nil
	}
	var m msgs
	policy, _ := r.get("sslPolicy")
	s, _ := policy.(string)
	m.need(elb17Policies[s] || isUnknown(policy), fmt.Sprintf("sslPolicy is %s; use ELBSecurityPolicy-TLS13-1-2-2021-06 or another ELB.17 policy", show(policy)))
	m.need(r.isSet("certificateArn"), "certificateArn is unset")
	return m
}

func checkDropInvalidHeaders(_ Context, r Resource) []string {
	if !isALB(r) {
		return nil
	}
	if on, _ := r.flag("dropInvalidHeaderFields"); !on && !isUnknown(r.Inputs["dropInvalidHeaderFields"]) {
		return []string{"dropInvalidHeaderFields is not true"}
	}
	return nil
}

func checkLBDeletionProtection(ctx Context, r Resource) []string {
	if !ctx.protectionApplies() {
		return nil
	}
	if on, _ := r.flag("enableDeletionProtection"); !on && !isUnknown(r.Inputs["enableDeletionProtection"]) {
		return []string{"enableDeletionProtection is not true in prod"}
	}
	return nil
}

func checkAccessLogs(_ Context, r Resource) []string {
	var m msgs
	on, _ := r.flag("accessLogs.enabled")
	m.need(on, "accessLogs.enabled is not true")
	m.need(r.isSet("accessLogs.bucket"), "accessLogs.bucket is unset")
	if prefix, ok := r.str("accessLogs.prefix"); ok {
		m.need(!strings.Contains(prefix, "AWSLogs"), fmt.Sprintf("accessLogs.prefix %q contains AWSLogs, which ELB refuses", prefix))
	}
	return m
}

func checkDesync(_ Context, r Resource) []string {
	mode, ok := r.str("desyncMitigationMode")
	if !isALB(r) || !ok || mode == "defensive" || mode == "strictest" {
		return nil
	}
	return []string{fmt.Sprintf("desyncMitigationMode is %q; use \"defensive\" or \"strictest\"", mode)}
}

func checkLBMultiAZ(_ Context, r Resource) []string {
	subnets, mappings := r.list("subnets"), r.list("subnetMappings")
	if isUnknown(r.Inputs["subnets"]) || len(subnets)+len(mappings) >= 2 {
		return nil
	}
	return []string{fmt.Sprintf("the load balancer spans %d subnet(s); use at least 2 AZs", len(subnets)+len(mappings))}
}

func checkTargetGroup(_ Context, r Resource) []string {
	var m msgs
	proto, _ := r.get("protocol")
	m.need(proto == "HTTPS" || isUnknown(proto), fmt.Sprintf("protocol is %s; Morpheus nodes serve \"HTTPS\"", show(proto)))
	hcProto, _ := r.get("healthCheck.protocol")
	m.need(hcProto == "HTTPS" || isUnknown(hcProto), fmt.Sprintf("healthCheck.protocol is %s; use \"HTTPS\"", show(hcProto)))
	path, _ := r.get("healthCheck.path")
	m.need(path == "/ping" || isUnknown(path), fmt.Sprintf("healthCheck.path is %s; Morpheus answers \"/ping\"", show(path)))
	return m
}

func checkCertKey(_ Context, r Resource) []string {
	alg, ok := r.str("keyAlgorithm")
	if !ok || alg == "" || strings.HasPrefix(alg, "EC_") || alg == "RSA_2048" || alg == "RSA_3072" || alg == "RSA_4096" {
		return nil
	}
	return []string{fmt.Sprintf("keyAlgorithm is %q; use RSA_2048 or stronger, or an EC key", alg)}
}

func checkCertRenewal(_ Context, r Resource) []string {
	if r.isSet("certificateBody") || r.isSet("privateKey") {
		return []string{"the certificate is imported; ACM cannot renew it, request it with DNS validation"}
	}
	if m, _ := r.get("validationMethod"); m != "DNS" && !isUnknown(m) {
		return []string{fmt.Sprintf("validationMethod is %s; use \"DNS\" so ACM renews the certificate", show(m))}
	}
	return nil
}
