package loadbalancer

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CertificateKeyAlgorithm is the key of a certificate the program requests.
// RSA 2048 passes ACM.2 and every client can verify it, agents on old operating
// systems included; ECDSA would save CPU the ALB pays for, not us.
const CertificateKeyAlgorithm = "RSA_2048"

// validationRecordTTL is short so that a failed validation can be retried soon.
const validationRecordTTL = 60

// certificate returns the ARN the HTTPS listener serves: the configured
// certificate as is, or a new DNS-validated one for the domain. The new
// certificate names exactly the domain (no wildcard, no alternative names), so
// ACM asks for exactly one validation record; the listener takes the ARN from
// the validation, so it is never attached before ACM has issued it.
func (b *builder) certificate() (pulumi.StringOutput, error) {
	a := b.args
	if a.CertificateArn != "" {
		return pulumi.String(a.CertificateArn).ToStringOutput(), nil
	}
	cert, err := acm.NewCertificate(b.ctx, b.name+"-cert", &acm.CertificateArgs{
		DomainName:       pulumi.String(a.Domain),
		ValidationMethod: pulumi.String("DNS"),
		KeyAlgorithm:     pulumi.String(CertificateKeyAlgorithm),
		Tags:             pulumi.StringMap{"Name": pulumi.String(a.Domain)},
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	option := cert.DomainValidationOptions.Index(pulumi.Int(0))
	record, err := route53.NewRecord(b.ctx, b.name+"-cert-validation-record", &route53.RecordArgs{
		ZoneId:  pulumi.String(a.HostedZoneId),
		Name:    option.ResourceRecordName().Elem(),
		Type:    option.ResourceRecordType().Elem(),
		Records: pulumi.StringArray{option.ResourceRecordValue().Elem()},
		Ttl:     pulumi.Int(validationRecordTTL),
		// ACM's validation record for a domain is the same for every certificate
		// of the account, so a replacement certificate must be able to take over
		// the record its predecessor created.
		AllowOverwrite: pulumi.Bool(true),
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	validation, err := acm.NewCertificateValidation(b.ctx, b.name+"-cert-validation", &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: pulumi.StringArray{record.Fqdn},
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return validation.CertificateArn, nil
}
