// Command opsfn is the ops Lambda function (provided.al2023, arm64): it
// bootstraps Morpheus' database, broker and search users, gives Amazon MQ's
// log group the stack's retention and key, rotates the users' secrets, and
// takes the daily OpenSearch snapshot and RabbitMQ definitions export, and
// restores both into a restore-mode stack's new services.
// The work is in internal/ops/handler; main only wires it.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/handler"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

func main() {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stdout, nil)))
	awsCfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		slog.Error("loading AWS configuration", "error", err)
		os.Exit(1)
	}
	store := secrets.NewAWS(secretsmanager.NewFromConfig(awsCfg))
	// The S3 client serves the export (PutObject) and the restore
	// (ListObjectsV2, GetObject), each call in its bucket's region.
	h, err := handler.FromEnv(store, cloudwatchlogs.NewFromConfig(awsCfg), awsCfg.Credentials, s3.NewFromConfig(awsCfg), os.Getenv)
	if err != nil {
		slog.Error("configuring the handler", "error", err)
		os.Exit(1)
	}
	lambda.Start(h.Handle)
}
