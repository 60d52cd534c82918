package testutil

import "github.com/morpheus-ha/morpheus-ha/internal/awsenv"

// Env is the account and Region components see in unit tests: AccountID in
// eu-west-1 of the aws partition, the Region the mocks answer for.
func Env() awsenv.Env {
	return awsenv.Env{AccountID: AccountID, Partition: "aws", Region: "eu-west-1", DNSSuffix: "amazonaws.com"}
}
