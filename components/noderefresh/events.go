package noderefresh

import "github.com/morpheus-ha/morpheus-ha/internal/ssmdoc"

// RotationPattern matches a successful rotation of one of the given secrets.
// Secrets Manager reports it as a CloudTrail service event (not an API call):
// detail-type "AWS Service Event via CloudTrail", eventName RotationSucceeded,
// and the secret's ARN in detail.additionalEventData.SecretId.
type RotationPattern struct {
	Source     []string       `json:"source"`
	DetailType []string       `json:"detail-type"`
	Detail     RotationDetail `json:"detail"`
}

// RotationDetail is the CloudTrail part of the pattern.
type RotationDetail struct {
	EventSource         []string            `json:"eventSource"`
	EventName           []string            `json:"eventName"`
	AdditionalEventData AdditionalEventData `json:"additionalEventData"`
}

// AdditionalEventData names the rotated secret.
type AdditionalEventData struct {
	SecretID []string `json:"SecretId"`
}

// RotationSucceeded returns the pattern for secretArns.
func RotationSucceeded(secretArns []string) RotationPattern {
	return RotationPattern{
		Source:     []string{"aws.secretsmanager"},
		DetailType: []string{"AWS Service Event via CloudTrail"},
		Detail: RotationDetail{
			EventSource:         []string{"secretsmanager.amazonaws.com"},
			EventName:           []string{"RotationSucceeded"},
			AdditionalEventData: AdditionalEventData{SecretID: secretArns},
		},
	}
}

// JSON renders the pattern.
func (p RotationPattern) JSON() (string, error) { return ssmdoc.Marshal(p) }
