// Package ssmdoc holds the JSON shapes of the SSM documents the stack writes
// (Command documents that run shell on the nodes, Automation runbooks) and
// their rendering, so the node refresh and the OS patching render the same
// way.
package ssmdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Parameter is a document parameter.
type Parameter struct {
	Type           string `json:"type"`
	Description    string `json:"description"`
	Default        string `json:"default,omitempty"`
	AllowedPattern string `json:"allowedPattern,omitempty"`
}

// Command is an SSM Command document, schema 2.2.
type Command struct {
	SchemaVersion string               `json:"schemaVersion"`
	Description   string               `json:"description"`
	Parameters    map[string]Parameter `json:"parameters,omitempty"`
	MainSteps     []CommandStep        `json:"mainSteps"`
}

// CommandStep is one step of a Command document.
type CommandStep struct {
	Action       string              `json:"action"`
	Name         string              `json:"name"`
	Precondition map[string][]string `json:"precondition"`
	Inputs       ShellInputs         `json:"inputs"`
}

// ShellInputs are an aws:runShellScript step's inputs.
type ShellInputs struct {
	TimeoutSeconds string   `json:"timeoutSeconds"`
	RunCommand     []string `json:"runCommand"`
}

// LinuxShellStep is an aws:runShellScript step that runs on Linux nodes only.
func LinuxShellStep(name, timeoutSeconds string, lines []string) CommandStep {
	return CommandStep{
		Action:       "aws:runShellScript",
		Name:         name,
		Precondition: map[string][]string{"StringEquals": {"platformType", "Linux"}},
		Inputs:       ShellInputs{TimeoutSeconds: timeoutSeconds, RunCommand: lines},
	}
}

// Marshal renders v as compact JSON without HTML escaping, so the scripts'
// redirections read as written in the console.
func Marshal(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("ssm document: %w", err)
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}
