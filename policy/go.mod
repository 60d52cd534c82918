module github.com/morpheus-ha/morpheus-ha/policy

go 1.26.8
