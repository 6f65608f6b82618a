package fabric_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestUpGeneratesCryptoAndStartsTheNodes(t *testing.T) {
	t.Parallel()
	t.Run("up with cryptogen runs the four specs and starts the LevelDB network", func(t *testing.T) {
		t.Parallel()
		s := newSandbox(t)
		calls := s.run(t, "up")
		cryptogen := find(calls, "cryptogen generate")
		require.Len(t, cryptogen, 4)
		for i, spec := range []string{"orderer", "core", "bank", "assoc"} {
			require.Contains(t, cryptogen[i].Args, "--config="+s.path("cryptogen/crypto-config-"+spec+".yaml"))
			require.Contains(t, cryptogen[i].Args, "--output="+s.path("organizations"))
		}
		up := find(calls, "docker compose -p warrants -f "+s.path("compose/compose-test-net.yaml")+" up -d")
		require.Len(t, up, 1)
		require.NotContains(t, up[0].line(), "compose-couch.yaml")
	})

	t.Run("up -s couchdb adds the CouchDB overlay", func(t *testing.T) {
		t.Parallel()
		s := newSandbox(t)
		calls := s.run(t, "up", "-s", "couchdb")
		require.Len(t, find(calls, "docker compose -p warrants -f "+s.path("compose/compose-test-net.yaml")+
			" -f "+s.path("compose/compose-couch.yaml")+" up -d"), 1)
	})

	t.Run("up -ca enrols every identity with its CA in the cryptogen layout", func(t *testing.T) {
		t.Parallel()
		s := newSandbox(t)
		for _, dir := range []string{"core", "bank", "assoc", "ordererOrg"} {
			writeFile(t, s.path("organizations/fabric-ca/"+dir+"/ca-cert.pem"), "root\n", 0o644)
		}
		calls := s.run(t, "up", "-ca")
		require.Len(t, find(calls, "docker compose -p warrants -f "+s.path("compose/compose-ca.yaml")+" up -d"), 1)
		require.Empty(t, find(calls, "cryptogen"))

		register := find(calls, "fabric-ca-client register --caname ca-bank --id.name User1")
		require.Len(t, register, 1)
		require.Contains(t, register[0].line(), "--id.type client --id.attrs scf.entity=914403007865797541:ecert "+
			`--id.attrs "scf.role=custodian,financier,holder,paymentbank:ecert"`)
		users := 0
		for _, org := range network(t).Orgs {
			users += len(org.Users)
		}
		require.Len(t, find(calls, "fabric-ca-client register"), users+2*3+2, "users, peer and admin per org, orderer and its admin")

		for _, file := range []string{
			"peerOrganizations/assoc.example.com/users/Jinggong@assoc.example.com/msp/keystore/priv_sk",
			"peerOrganizations/assoc.example.com/users/Jinggong@assoc.example.com/msp/signcerts/cert.pem",
			"peerOrganizations/assoc.example.com/users/Jinggong@assoc.example.com/msp/config.yaml",
			"peerOrganizations/core.example.com/users/Admin@core.example.com/msp/config.yaml",
			"peerOrganizations/core.example.com/peers/peer0.core.example.com/tls/server.key",
			"peerOrganizations/bank.example.com/tlsca/tlsca.bank.example.com-cert.pem",
			"ordererOrganizations/example.com/orderers/orderer.example.com/tls/server.crt",
			"ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem",
		} {
			require.FileExists(t, s.path("organizations/"+file))
		}
		nodeOUs, err := os.ReadFile(s.path("organizations/peerOrganizations/bank.example.com/msp/config.yaml"))
		require.NoError(t, err)
		require.Contains(t, string(nodeOUs), "Certificate: cacerts/localhost-8054-ca-bank.pem")
		require.Contains(t, string(nodeOUs), "OrganizationalUnitIdentifier: orderer")
	})
}

func TestCreateChannelJoinsTheOrdererAndEveryPeer(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	writeFile(t, s.path("organizations/.keep"), "", 0o644)
	calls := s.run(t, "createChannel", "-d", "0")
	block := s.path("channel-artifacts/warrants.block")

	gen := find(calls, "configtxgen")
	require.Len(t, gen, 1)
	require.Equal(t, []string{"-profile", "ChannelUsingRaft", "-outputBlock", block, "-channelID", "warrants"}, gen[0].Args)

	join := find(calls, "osnadmin channel join --channelID warrants --config-block "+block+" -o localhost:7053")
	require.Len(t, join, 1)

	peers := find(calls, "peer channel join -b "+block)
	require.Len(t, peers, len(network(t).Orgs))
	for i, org := range network(t).Orgs {
		require.Equal(t, org.MSPID, peers[i].MSP)
	}
}

func TestDeployCCAASInstallsApprovesCommitsAndStartsTheChaincode(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	writeFile(t, s.path("organizations/.keep"), "", 0o644)
	calls := s.run(t, "deployCCAAS", "-d", "0")
	orgs := network(t).Orgs

	require.FileExists(t, s.path("build/warrant.tar.gz"))
	install := find(calls, "peer lifecycle chaincode install "+s.path("build/warrant.tar.gz"))
	approve := find(calls, "peer lifecycle chaincode approveformyorg")
	require.Len(t, install, len(orgs))
	require.Len(t, approve, len(orgs))
	for i, org := range orgs {
		require.Equal(t, org.MSPID, install[i].MSP)
		require.Equal(t, org.MSPID, approve[i].MSP)
		require.Contains(t, approve[i].line(), "--channelID warrants --name warrant --version 1.0 --sequence 1 --package-id warrant_1.0:0123abcd")
	}

	commit := find(calls, "peer lifecycle chaincode commit")
	require.Len(t, commit, 1)
	for _, org := range orgs {
		require.Contains(t, commit[0].line(), "--peerAddresses localhost:"+itoa(org.PeerPort)+" --tlsRootCertFiles "+
			s.path("organizations/peerOrganizations/"+org.Domain+"/tlsca/tlsca."+org.Domain+"-cert.pem"))
	}
	require.NotContains(t, commit[0].line(), "--signature-policy", "the channel's MAJORITY Endorsement applies")

	start := find(calls, "docker compose -p warrants -f "+s.path("compose/compose-ccaas.yaml")+" up -d --build")
	require.Len(t, start, 1)
	require.Equal(t, "warrant_1.0:0123abcd", start[0].CC)
	require.Less(t, indexOf(calls, commit[0]), indexOf(calls, start[0]), "the container starts after the commit")
}

func TestDownRemovesContainersVolumesAndGeneratedFiles(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	for _, file := range []string{"organizations/x", "channel-artifacts/warrants.block", "build/warrant.tar.gz"} {
		writeFile(t, s.path(file), "x", 0o644)
	}
	calls := s.run(t, "down")
	down := find(calls, "docker compose -p warrants")
	require.Len(t, down, 1)
	for _, file := range composeFiles {
		require.Contains(t, down[0].line(), s.path("compose/"+file))
	}
	require.True(t, strings.HasSuffix(down[0].line(), "down --volumes --remove-orphans"))
	for _, dir := range []string{"organizations", "channel-artifacts", "build"} {
		require.NoDirExists(t, s.path(dir))
	}
}

func TestDevDelegatesToTheEmbeddedNetwork(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	for _, verb := range []string{"up", "reset", "status"} {
		t.Run("dev "+verb+" runs the devnet command with the remaining arguments", func(t *testing.T) {
			calls := s.run(t, "dev", verb, "-dir", "/tmp/x")
			require.Len(t, calls, 1)
			require.Equal(t, "go run ./network/cmd/devnet "+verb+" -dir /tmp/x", calls[0].line())
		})
	}
	t.Run("dev down explains how the foreground network stops", func(t *testing.T) {
		out, code := runScript(t, s.root, s.env, "bash", "scripts/network.sh", "dev", "down")
		require.NotZero(t, code)
		require.Contains(t, out, "Ctrl-C")
	})
}

// indexOf returns the position of a call in the log.
func indexOf(calls []call, target call) int {
	for i, c := range calls {
		if c.line() == target.line() && c.MSP == target.MSP {
			return i
		}
	}
	return -1
}
