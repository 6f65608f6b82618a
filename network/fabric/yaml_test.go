package fabric_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func TestEveryConfigurationFileParses(t *testing.T) {
	t.Parallel()
	var yamlFiles, jsonFiles []string
	err := filepath.WalkDir(fabricDir, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if entry.IsDir() && (entry.Name() == "organizations" || entry.Name() == "channel-artifacts" || entry.Name() == "build") {
			return filepath.SkipDir
		}
		switch filepath.Ext(path) {
		case ".yaml", ".yml":
			yamlFiles = append(yamlFiles, path)
		case ".json":
			jsonFiles = append(jsonFiles, path)
		}
		return nil
	})
	require.NoError(t, err)
	require.Len(t, yamlFiles, 11, "configtx, six cryptogen specs and four compose files: %v", yamlFiles)
	require.Len(t, jsonFiles, 2, "the CCaaS connection.json and metadata.json: %v", jsonFiles)

	for _, path := range yamlFiles {
		t.Run("the YAML file "+path+" parses to a mapping", func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			var doc map[string]any
			require.NoError(t, yaml.Unmarshal(data, &doc))
			require.NotEmpty(t, doc)
		})
	}
	for _, path := range jsonFiles {
		t.Run("the JSON file "+path+" parses to an object", func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			var doc map[string]any
			require.NoError(t, json.Unmarshal(data, &doc))
			require.NotEmpty(t, doc)
		})
	}
}
