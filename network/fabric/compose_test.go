package fabric_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

type composeService struct {
	ContainerName string   `yaml:"container_name"`
	Image         string   `yaml:"image"`
	Environment   []string `yaml:"environment"`
	Ports         []string `yaml:"ports"`
	Volumes       []string `yaml:"volumes"`
	Networks      []string `yaml:"networks"`
	Build         struct {
		Context    string `yaml:"context"`
		Dockerfile string `yaml:"dockerfile"`
	} `yaml:"build"`
}

type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Networks map[string]struct {
		Name string `yaml:"name"`
	} `yaml:"networks"`
}

var composeFiles = []string{"compose-test-net.yaml", "compose-couch.yaml", "compose-ca.yaml", "compose-ccaas.yaml"}

func loadCompose(t *testing.T, name string) composeFile {
	t.Helper()
	var file composeFile
	decodeYAML(t, filepath.Join("compose", name), &file)
	return file
}

// hostPort returns the published port of a "host:container" mapping.
func hostPort(t *testing.T, mapping string) int {
	t.Helper()
	host, _, ok := strings.Cut(mapping, ":")
	require.True(t, ok, "port mapping %q is not host:container", mapping)
	port, err := strconv.Atoi(host)
	require.NoError(t, err, "port mapping %q", mapping)
	return port
}

func TestComposeNodesAgreeWithTheNetworkDescription(t *testing.T) {
	t.Parallel()
	net := network(t)
	file := loadCompose(t, "compose-test-net.yaml")

	t.Run("the orderer has the description's host, MSP and port", func(t *testing.T) {
		svc, ok := file.Services[net.Orderer.Host()]
		require.True(t, ok)
		env := envMap(t, svc.Environment)
		require.Equal(t, net.Orderer.Host(), svc.ContainerName)
		require.Equal(t, net.Orderer.MSPID, env["ORDERER_GENERAL_LOCALMSPID"])
		require.Equal(t, strconv.Itoa(net.Orderer.Port), env["ORDERER_GENERAL_LISTENPORT"])
		require.Equal(t, "none", env["ORDERER_GENERAL_BOOTSTRAPMETHOD"], "no system channel")
		require.Equal(t, "true", env["ORDERER_CHANNELPARTICIPATION_ENABLED"])
		require.Contains(t, svc.Ports, fmt.Sprintf("%d:%d", net.Orderer.Port, net.Orderer.Port))
		require.Contains(t, svc.Ports, "7053:7053", "the osnadmin endpoint of createChannel")
		require.Contains(t, svc.Volumes[0], "ordererOrganizations/"+net.Orderer.Domain+"/orderers/"+net.Orderer.Host()+"/msp:")
	})

	require.Len(t, file.Services, len(net.Orgs)+1, "one orderer and one peer per org")
	for _, org := range net.Orgs {
		t.Run("the peer of "+org.MSPID+" has the description's host, MSP and port", func(t *testing.T) {
			host := org.PeerHost()
			svc, ok := file.Services[host]
			require.True(t, ok, "service %s", host)
			env := envMap(t, svc.Environment)
			endpoint := fmt.Sprintf("%s:%d", host, org.PeerPort)
			require.Equal(t, host, svc.ContainerName)
			require.Equal(t, host, env["CORE_PEER_ID"])
			require.Equal(t, org.MSPID, env["CORE_PEER_LOCALMSPID"])
			require.Equal(t, endpoint, env["CORE_PEER_ADDRESS"])
			require.Equal(t, fmt.Sprintf("0.0.0.0:%d", org.PeerPort), env["CORE_PEER_LISTENADDRESS"])
			require.Equal(t, endpoint, env["CORE_PEER_GOSSIP_EXTERNALENDPOINT"])
			require.Equal(t, endpoint, env["CORE_PEER_GOSSIP_BOOTSTRAP"])
			require.Equal(t, fmt.Sprintf("%s:%d", host, org.PeerPort+1), env["CORE_PEER_CHAINCODEADDRESS"])
			require.Equal(t, "true", env["CORE_PEER_TLS_ENABLED"])
			require.Equal(t, `{"peername":"peer0`+orgKey(org)+`"}`, env["CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG"])
			require.Contains(t, svc.Ports, fmt.Sprintf("%d:%d", org.PeerPort, org.PeerPort))

			mount := "../organizations/peerOrganizations/" + org.Domain + "/peers/" + host + ":/etc/hyperledger/peer"
			require.Contains(t, svc.Volumes, mount)
			for _, name := range []string{"CORE_PEER_MSPCONFIGPATH", "CORE_PEER_TLS_CERT_FILE", "CORE_PEER_TLS_KEY_FILE", "CORE_PEER_TLS_ROOTCERT_FILE"} {
				require.True(t, strings.HasPrefix(env[name], "/etc/hyperledger/peer/"), "%s=%s lies in the mounted crypto material", name, env[name])
			}
			require.NotContains(t, env, "FABRIC_CFG_PATH", "the image's core.yaml with the ccaas_builder stays in use")
		})
	}
}

func TestComposeCouchDBGivesEveryPeerItsOwnDatabase(t *testing.T) {
	t.Parallel()
	net := network(t)
	file := loadCompose(t, "compose-couch.yaml")
	seen := map[string]bool{}
	for _, org := range net.Orgs {
		svc, ok := file.Services[org.PeerHost()]
		require.True(t, ok, "CouchDB settings for %s", org.PeerHost())
		env := envMap(t, svc.Environment)
		require.Equal(t, "CouchDB", env["CORE_LEDGER_STATE_STATEDATABASE"])
		couch, _, ok := strings.Cut(env["CORE_LEDGER_STATE_COUCHDBCONFIG_COUCHDBADDRESS"], ":")
		require.True(t, ok)
		require.False(t, seen[couch], "%s shared by two peers", couch)
		seen[couch] = true
		db, ok := file.Services[couch]
		require.True(t, ok, "service %s", couch)
		require.Equal(t, couch, db.ContainerName)
	}
}

func TestComposeCAsServeEveryOrganisation(t *testing.T) {
	t.Parallel()
	net := network(t)
	file := loadCompose(t, "compose-ca.yaml")
	want := map[string]string{"ca_orderer": "ca-orderer"}
	for _, org := range net.Orgs {
		want["ca_"+orgKey(org)] = "ca-" + orgKey(org)
	}
	require.Len(t, file.Services, len(want))
	for service, caName := range want {
		t.Run("the CA "+service+" serves "+caName+" on its published port", func(t *testing.T) {
			svc, ok := file.Services[service]
			require.True(t, ok)
			env := envMap(t, svc.Environment)
			require.Equal(t, caName, env["FABRIC_CA_SERVER_CA_NAME"])
			require.Equal(t, "true", env["FABRIC_CA_SERVER_TLS_ENABLED"])
			port := env["FABRIC_CA_SERVER_PORT"]
			require.Contains(t, svc.Ports, port+":"+port)
			dir := strings.TrimPrefix(service, "ca_")
			if dir == "orderer" {
				dir = "ordererOrg"
			}
			require.Equal(t, []string{"../organizations/fabric-ca/" + dir + ":/etc/hyperledger/fabric-ca-server"}, svc.Volumes)
		})
	}
}

func TestComposePublishedPortsAreDistinct(t *testing.T) {
	t.Parallel()
	owners := map[int]string{}
	for _, name := range composeFiles {
		for service, svc := range loadCompose(t, name).Services {
			for _, mapping := range svc.Ports {
				port := hostPort(t, mapping)
				require.True(t, port > 0 && port <= 65535, "%s %s: port %d out of range", name, service, port)
				owner := name + " " + service
				require.NotContains(t, owners, port, "port %d published by %s and %s", port, owners[port], owner)
				owners[port] = owner
			}
		}
	}
	require.GreaterOrEqual(t, len(owners), 18)
}

func TestComposeServicesShareTheFabricNetwork(t *testing.T) {
	t.Parallel()
	for _, name := range composeFiles {
		file := loadCompose(t, name)
		require.Equal(t, "fabric_test", file.Networks["test"].Name, name)
		for service, svc := range file.Services {
			if svc.ContainerName == "" { // an overlay of a service defined in compose-test-net.yaml
				continue
			}
			require.Equal(t, []string{"test"}, svc.Networks, "%s %s", name, service)
		}
	}
}
