package userdata

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"strings"
	"text/template"

	"gopkg.in/yaml.v3"
)

// MaxUserDataBytes is EC2's limit on user data before base64 encoding.
const MaxUserDataBytes = 16384

//go:embed scripts/*.tmpl scripts/morpheus-rb.jq
var scriptFS embed.FS

// Heredoc delimiters of the spec and the jq program in the render script.
const (
	specHeredoc    = "MORPHEUS_RB_SPEC"
	programHeredoc = "MORPHEUS_RB_JQ"
)

// scripts is the parsed template set; "sh" quotes a value as one shell word.
var scripts = template.Must(template.New("").
	Option("missingkey=error").
	Funcs(template.FuncMap{"sh": shellWord}).
	ParseFS(scriptFS, "scripts/*.tmpl"))

// nodeFiles are the installed paths the templates refer to.
type nodeFiles struct {
	Render, Refresh, TerminationWatch, Unit string
	WaitData                                string
	CloudWatchLogs, CloudWatchMetrics       string
	Log, MorpheusRB, MountPoint             string
}

var files = nodeFiles{
	Render:            RenderScriptPath,
	Refresh:           RefreshScriptPath,
	WaitData:          WaitDataScriptPath,
	TerminationWatch:  TerminationWatchScriptPath,
	Unit:              TerminationWatchUnit,
	CloudWatchLogs:    CloudWatchAgentLogsConfigPath,
	CloudWatchMetrics: CloudWatchAgentMetricsConfigPath,
	Log:               LogPath,
	MorpheusRB:        MorpheusRBPath,
	MountPoint:        MountPoint,
}

// templateData is what every script template sees.
type templateData struct {
	Params
	Files      nodeFiles
	PackageExt string
	ParamNames []string
	RBSpecJSON string
	RBProgram  string
}

// writeFile is one cloud-init write_files entry.
type writeFile struct {
	Path        string `yaml:"path"`
	Owner       string `yaml:"owner"`
	Permissions string `yaml:"permissions"`
	Content     string `yaml:"content"`
}

// cloudConfig is the #cloud-config document.
type cloudConfig struct {
	WriteFiles []writeFile `yaml:"write_files"`
	RunCmd     [][]string  `yaml:"runcmd"`
}

// Render returns the user data for EC2: the #cloud-config document, gzipped
// (cloud-init detects gzip) when the plain text exceeds MaxUserDataBytes. The
// bytes are identical for identical Params. Base64-encode them for a launch
// template's UserData.
func Render(p Params) ([]byte, error) {
	plain, err := RenderCloudConfig(p)
	if err != nil {
		return nil, err
	}
	return pack(plain)
}

// pack returns plain unchanged when EC2 accepts its size, else gzipped; it fails
// when even the gzipped form is too large.
func pack(plain []byte) ([]byte, error) {
	if len(plain) <= MaxUserDataBytes {
		return plain, nil
	}
	packed, err := gzipDeterministic(plain)
	if err != nil {
		return nil, err
	}
	if len(packed) > MaxUserDataBytes {
		return nil, fmt.Errorf("userdata: %d bytes even gzipped, EC2 accepts %d", len(packed), MaxUserDataBytes)
	}
	return packed, nil
}

// RenderCloudConfig returns the plain #cloud-config document (what Render
// returns before any compression).
func RenderCloudConfig(p Params) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p = p.withDefaults()

	data, err := newTemplateData(p)
	if err != nil {
		return nil, err
	}
	var entries []writeFile
	for _, s := range []struct{ path, template string }{
		{BootstrapScriptPath, "morpheus-bootstrap.tmpl"},
		{RenderScriptPath, "morpheus-render-config.tmpl"},
		{RefreshScriptPath, "morpheus-node-refresh.tmpl"},
		{WaitDataScriptPath, "morpheus-wait-data.tmpl"},
		{TerminationWatchScriptPath, "morpheus-termination-watch.tmpl"},
	} {
		text, err := execute(s.template, data)
		if err != nil {
			return nil, err
		}
		entries = append(entries, writeFile{Path: s.path, Owner: "root:root", Permissions: "0755", Content: text})
	}
	unit, err := execute("morpheus-termination-watch.service.tmpl", data)
	if err != nil {
		return nil, err
	}
	entries = append(entries,
		writeFile{Path: systemdUnitDir + TerminationWatchUnit, Owner: "root:root", Permissions: "0644", Content: unit},
		writeFile{Path: CloudWatchAgentLogsConfigPath, Owner: "root:root", Permissions: "0644", Content: p.Agent.Logs.JSON()},
		writeFile{Path: CloudWatchAgentMetricsConfigPath, Owner: "root:root", Permissions: "0644", Content: p.Agent.Metrics.JSON()},
	)

	var buf bytes.Buffer
	buf.WriteString("#cloud-config\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(cloudConfig{WriteFiles: entries, RunCmd: [][]string{{BootstrapScriptPath}}}); err != nil {
		return nil, fmt.Errorf("userdata: encoding cloud-config: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("userdata: encoding cloud-config: %w", err)
	}
	return buf.Bytes(), nil
}

func newTemplateData(p Params) (templateData, error) {
	spec, err := buildRBSpec(p).specJSON()
	if err != nil {
		return templateData{}, err
	}
	program, err := scriptFS.ReadFile("scripts/morpheus-rb.jq")
	if err != nil {
		return templateData{}, fmt.Errorf("userdata: reading jq program: %w", err)
	}
	prog := strings.TrimRight(string(program), "\n")
	if err := heredocSafe(spec, specHeredoc); err != nil {
		return templateData{}, err
	}
	if err := heredocSafe(prog, programHeredoc); err != nil {
		return templateData{}, err
	}
	return templateData{
		Params:     p,
		Files:      files,
		PackageExt: p.OS.packageExt(),
		ParamNames: p.Parameters.names(),
		RBSpecJSON: spec,
		RBProgram:  prog,
	}, nil
}

// heredocSafe rejects a heredoc body that contains its delimiter line (it would
// end the heredoc early).
func heredocSafe(body, delimiter string) error {
	for _, line := range strings.Split(body, "\n") {
		if line == delimiter {
			return fmt.Errorf("userdata: heredoc body contains its delimiter %s", delimiter)
		}
	}
	return nil
}

func execute(name string, data templateData) (string, error) {
	var b strings.Builder
	if err := scripts.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("userdata: rendering %s: %w", name, err)
	}
	return b.String(), nil
}

// gzipDeterministic compresses b with no name and a zero modification time, so
// equal input gives equal output.
func gzipDeterministic(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("userdata: gzip: %w", err)
	}
	if _, err := zw.Write(b); err != nil {
		return nil, fmt.Errorf("userdata: gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("userdata: gzip: %w", err)
	}
	return buf.Bytes(), nil
}
