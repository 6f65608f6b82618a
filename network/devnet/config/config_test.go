package config

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func TestDefault(t *testing.T) {
	network := Default()
	require.Equal(t, "warrants", network.Channel)
	require.Equal(t, []string{"CoreEnterpriseMSP", "BankMSP", "AssociationMSP"}, network.MSPIDs())
	require.Equal(t, "OrdererMSP", network.Orderer.MSPID)
	require.Equal(t, 100, network.Orderer.BatchSize)
	require.Equal(t, Duration(50*time.Millisecond), network.Orderer.BatchTimeout)
	cc, err := network.Chaincode("warrant")
	require.NoError(t, err)
	require.Equal(t, "MAJORITY Endorsement", cc.EndorsementPolicy)
	bank, err := network.Org("BankMSP")
	require.NoError(t, err)
	require.Equal(t, "peer0.bank.example.com", bank.PeerHost())
	require.Equal(t, "custodian,financier,holder,paymentbank", bank.Users[0].Attrs["scf.role"])
}

func TestParse(t *testing.T) {
	const twoOrgs = `
channel: mychannel
orderer: {mspId: OrdererMSP, domain: example.com, port: 7050}
orgs:
  - {mspId: Org1MSP, domain: org1.example.com, peerPort: 7051, users: [{name: User1}]}
  - {mspId: Org2MSP, domain: org2.example.com, peerPort: 9051}
chaincodes:
  - {name: basic, address: "127.0.0.1:9999"}
`
	t.Run("Reads a fabric-samples style network and fills defaults", func(t *testing.T) {
		network, err := Parse([]byte(twoOrgs))
		require.NoError(t, err)
		require.Equal(t, []string{"Org1MSP", "Org2MSP"}, network.MSPIDs())
		require.Equal(t, "1.0", network.Chaincodes[0].Version)
		require.Equal(t, "MAJORITY Endorsement", network.Chaincodes[0].EndorsementPolicy)
		require.Equal(t, 100, network.Orderer.BatchSize)
	})

	cases := []struct {
		name, yaml, want string
	}{
		{"Rejects unknown fields", "channel: a\nbogus: 1\n", "field bogus not found"},
		{"Rejects a bad channel name", twoOrgsWith("channel: mychannel", "channel: MyChannel"), "channel \"MyChannel\""},
		{"Rejects a port used twice", twoOrgsWith("peerPort: 9051", "peerPort: 7051"), "port 7051 already used"},
		{"Rejects a duplicate MSP ID", twoOrgsWith("Org2MSP", "Org1MSP"), "used twice"},
		{"Rejects a chaincode with neither address nor command", twoOrgsWith(`address: "127.0.0.1:9999"`, `version: "2"`), "exactly one of address"},
		{"Rejects a user named Admin", twoOrgsWith("name: User1", "name: Admin"), "Admin is always generated"},
		{"Rejects a bad duration", twoOrgsWith("port: 7050}", "port: 7050, batchTimeout: soon}"), "invalid duration"},
		{"Rejects no orgs", "channel: a\norderer: {mspId: O, domain: example.com, port: 1}\n", "at least one peer organisation"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml))
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func twoOrgsWith(old, replacement string) string {
	const base = `
channel: mychannel
orderer: {mspId: OrdererMSP, domain: example.com, port: 7050}
orgs:
  - {mspId: Org1MSP, domain: org1.example.com, peerPort: 7051, users: [{name: User1}]}
  - {mspId: Org2MSP, domain: org2.example.com, peerPort: 9051}
chaincodes:
  - {name: basic, address: "127.0.0.1:9999"}
`
	return replaceOnce(base, old, replacement)
}

func replaceOnce(s, old, replacement string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + replacement + s[i+len(old):]
		}
	}
	panic("test fixture: " + old + " not found")
}

func TestLoad(t *testing.T) {
	t.Run("Loads a file, with its collections files relative to it", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "net.yaml")
		require.NoError(t, os.WriteFile(path, DefaultYAML(), 0o600))
		_, err := Load(path)
		require.ErrorContains(t, err, filepath.Join(dir, "chaincode", "collections_config.json"))

		collections, err := os.ReadFile(filepath.Join("..", "..", "..", "chaincode", "collections_config.json"))
		require.NoError(t, err)
		require.NoError(t, os.Mkdir(filepath.Join(dir, "chaincode"), 0o700))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "chaincode", "collections_config.json"), collections, 0o600))
		network, err := Load(path)
		require.NoError(t, err)
		want := Default()
		require.NoError(t, want.loadCollections(filepath.Join("..", "..", "..")))
		require.Equal(t, want, network)
	})
	t.Run("Names a missing file", func(t *testing.T) {
		_, err := Load(filepath.Join(t.TempDir(), "missing.yaml"))
		require.ErrorContains(t, err, "read network description")
	})
}

func TestTimeouts(t *testing.T) {
	t.Run("A description without timeouts gets the defaults", func(t *testing.T) {
		require.Equal(t, DefaultTimeouts, Default().Timeouts)
		require.Equal(t, DefaultTimeouts, Timeouts{}.WithDefaults())
	})
	t.Run("A timeout set in YAML is kept, the others default", func(t *testing.T) {
		network, err := Parse(append(DefaultYAML(), []byte("timeouts: {startup: 5s, commitStatus: 90s}\n")...))
		require.NoError(t, err)
		require.Equal(t, Duration(5*time.Second), network.Timeouts.Startup)
		require.Equal(t, Duration(90*time.Second), network.Timeouts.CommitStatus)
		require.Equal(t, DefaultTimeouts.Endorsement, network.Timeouts.Endorsement)
	})
	t.Run("A negative timeout is refused", func(t *testing.T) {
		_, err := Parse(append(DefaultYAML(), []byte("timeouts: {endorsement: -1s}\n")...))
		require.ErrorContains(t, err, "timeouts: endorsement must not be negative")
	})
	t.Run("A description written back reads the same", func(t *testing.T) {
		network := Default()
		network.Timeouts.Submit = Duration(7 * time.Second)
		written, err := yaml.Marshal(network)
		require.NoError(t, err)
		read, err := Parse(written)
		require.NoError(t, err)
		require.Equal(t, network.Timeouts, read.Timeouts)
	})
}

func TestUserTypeAndBlockReadersAreChecked(t *testing.T) {
	tests := []struct {
		name, org, wantErr string
	}{
		{"An admin-type user and admin/peer block readers are accepted", "{mspId: Org1MSP, domain: org1.example.com, peerPort: 7051, blockReaders: [admin, peer], users: [{name: ERP, type: admin}]}", ""},
		{"An unknown user type is refused", "{mspId: Org1MSP, domain: org1.example.com, peerPort: 7051, users: [{name: ERP, type: peer}]}", `type "peer" is not client or admin`},
		{"A chaincode env variable with a bad name is refused", "{mspId: Org1MSP, domain: org1.example.com, peerPort: 7051}\nchaincodes:\n  - {name: cc, command: [cc], env: {\"A-B\": x}}", `invalid variable name "A-B"`},
		{"An unknown block reader role is refused", "{mspId: Org1MSP, domain: org1.example.com, peerPort: 7051, blockReaders: [member]}", `role "member" is not admin, peer or client`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			network, err := Parse([]byte("channel: ch\norderer: {mspId: OrdererMSP, domain: example.com, port: 7050}\norgs:\n  - " + tt.org + "\n"))
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			policies := network.Orgs[0].OrgPolicies()
			require.Equal(t, "OR('Org1MSP.admin', 'Org1MSP.peer')", policies[BlockReadersPolicy].Rule)
		})
	}
}
