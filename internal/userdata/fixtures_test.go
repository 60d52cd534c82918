package userdata

import "github.com/morpheus-ha/morpheus-ha/internal/agentconfig"

// agentFor renders the agent configuration of a stack's nodes the way the stack
// does, from its log groups, process pattern and disk paths.
func agentFor(stack string, diskPaths ...string) agentconfig.Config {
	cfg, err := agentconfig.New(agentconfig.LogGroups{
		MorpheusUI: "/morpheus-ha/" + stack + "/morpheus-ui",
		Nginx:      "/morpheus-ha/" + stack + "/nginx",
		CloudInit:  "/morpheus-ha/" + stack + "/cloud-init",
	}, "java.*morpheus-ui", diskPaths)
	if err != nil {
		panic(err)
	}
	return cfg
}

// prodParams is a prod-like input: Ubuntu, s3:// artifacts from the platform
// bucket, long names.
func prodParams() Params {
	return Params{
		OS: Ubuntu,
		Morpheus: MorpheusPackage{
			URL:     "s3://morpheus-ha-artifacts-123456789012/morpheus/morpheus-appliance_8.0.7-1_amd64.deb",
			SHA256:  "1111111111111111111111111111111111111111111111111111111111111111",
			Version: "8.0.7-1",
		},
		EFSUtils: Artifact{
			URL:    "s3://morpheus-ha-artifacts-123456789012/efs-utils/amazon-efs-utils-2.1.0-1_amd64.deb",
			SHA256: "2222222222222222222222222222222222222222222222222222222222222222",
		},
		AWSCLI: Artifact{
			URL:    "https://awscli.amazonaws.com/awscli-exe-linux-x86_64-2.27.50.zip",
			SHA256: "3333333333333333333333333333333333333333333333333333333333333333",
		},
		CloudWatchAgent: Artifact{
			URL:    "s3://morpheus-ha-artifacts-123456789012/cloudwatch-agent/amazon-cloudwatch-agent-1.300057.1.deb",
			SHA256: "4444444444444444444444444444444444444444444444444444444444444444",
		},
		Region:       "eu-west-1",
		ApplianceURL: "https://morpheus.example.com",
		Secrets: Secrets{
			DB:     "/morpheus-ha/prod/db-morpheus",
			MQ:     "/morpheus-ha/prod/mq-morpheus",
			Search: "/morpheus-ha/prod/opensearch-morpheus",
		},
		Parameters: ParametersUnder("/morpheus-ha/prod/"),
		Hooks:      Hooks{Launch: "morpheus-node-ready", Termination: "morpheus-node-drain"},
		Agent:      agentFor("prod", "/"),
		// Three data nodes in three AZs: a copy of every shard in each.
		SearchReplicas: 2,
	}
}

// devParams is a dev-like input: RHEL, https artifacts, explicit IDs and timeout.
func devParams() Params {
	return Params{
		OS: RHEL,
		Morpheus: MorpheusPackage{
			URL:     "https://downloads.morpheusdata.com/files/morpheus-appliance-8.0.7-1.el9.x86_64.rpm",
			SHA256:  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
			Version: "8.0.7-1",
		},
		EFSUtils: Artifact{
			URL:    "https://artifacts.example.com/efs-utils/amazon-efs-utils-2.1.0-1.el9.x86_64.rpm",
			SHA256: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
		},
		AWSCLI: Artifact{
			URL:    "https://awscli.amazonaws.com/awscli-exe-linux-x86_64-2.27.50.zip",
			SHA256: "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
		},
		CloudWatchAgent: Artifact{
			URL:    "https://amazoncloudwatch-agent.s3.amazonaws.com/redhat/amd64/1.300057.1/amazon-cloudwatch-agent.rpm",
			SHA256: "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
		},
		Region:       "us-east-1",
		ApplianceURL: "https://morpheus.dev.example.com",
		Secrets: Secrets{
			DB:     "/morpheus-ha/dev/db-morpheus",
			MQ:     "/morpheus-ha/dev/mq-morpheus",
			Search: "/morpheus-ha/dev/opensearch-morpheus",
		},
		Parameters:          ParametersUnder("/morpheus-ha/dev"),
		Hooks:               Hooks{Launch: "morpheus-node-ready", Termination: "morpheus-node-drain"},
		Agent:               agentFor("dev", "/", "/var/opt/morpheus"),
		IDs:                 IDs{App: 899, Local: 898, Guacd: 894},
		ReadyTimeoutMinutes: 45,
	}
}
