package client

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/scfledger/warrants/client/profile"
)

// Config says where to connect and as whom. Give either Profile (a Fabric connection
// profile) or Endpoint with TLSCertPath; and either CertPath with KeyPath or MSPDir.
type Config struct {
	// Profile is the path of a Fabric connection profile (JSON). Its client
	// organization gives the MSP ID and the peer when those are not set.
	Profile string
	// Peer names the profile's peer to connect to; empty means the first peer of
	// the client organization.
	Peer string
	// Endpoint is a peer's gRPC target ("localhost:7051", "dns:///localhost:7051");
	// it overrides the profile's peer URL.
	Endpoint string
	// HostAlias overrides the TLS server name of the peer.
	HostAlias string
	// TLSCertPath is the PEM file of the peer's TLS root; empty with no profile
	// means plaintext.
	TLSCertPath string
	// MSPID is the identity's MSP ID; empty means the profile's client organization.
	MSPID string
	// CertPath is the identity's PEM certificate, or a directory holding it.
	CertPath string
	// KeyPath is the identity's PEM private key, or a directory holding it.
	KeyPath string
	// MSPDir is an MSP directory (signcerts/, keystore/) used when CertPath and
	// KeyPath are empty.
	MSPDir string
	// Channel is the channel name; empty means DefaultChannel.
	Channel string
	// Chaincode is the chaincode name; empty means DefaultChaincode.
	Chaincode string
}

// Environment variables read by ConfigFromEnv, as in the fabric-samples applications.
const (
	EnvChannelName      = "CHANNEL_NAME"
	EnvChaincodeName    = "CHAINCODE_NAME"
	EnvMSPID            = "MSP_ID"
	EnvCryptoPath       = "CRYPTO_PATH"
	EnvKeyDirectoryPath = "KEY_DIRECTORY_PATH"
	EnvCertPath         = "CERT_PATH"
	EnvCertDirectory    = "CERT_DIRECTORY_PATH"
	EnvTLSCertPath      = "TLS_CERT_PATH"
	EnvPeerEndpoint     = "PEER_ENDPOINT"
	EnvPeerHostAlias    = "PEER_HOST_ALIAS"
)

// Environment variables of the peer CLI (fabric-samples' setGlobals and the
// networks' env-<org>.sh files), read by ConfigFromEnv when the application
// variables above are unset.
const (
	EnvPeerLocalMSPID      = "CORE_PEER_LOCALMSPID"
	EnvPeerMSPConfigPath   = "CORE_PEER_MSPCONFIGPATH"
	EnvPeerAddress         = "CORE_PEER_ADDRESS"
	EnvPeerTLSRootCert     = "CORE_PEER_TLS_ROOTCERT_FILE"
	EnvPeerTLSEnabled      = "CORE_PEER_TLS_ENABLED"
	EnvPeerTLSHostOverride = "CORE_PEER_TLS_SERVERHOSTOVERRIDE"
)

// EnvConfigured reports whether the environment names a network: a peer endpoint
// or an MSP ID in the fabric-samples application or peer CLI variables.
func EnvConfigured() bool {
	for _, name := range []string{EnvPeerEndpoint, EnvMSPID, EnvCryptoPath, EnvPeerAddress, EnvPeerLocalMSPID, EnvPeerMSPConfigPath} {
		if os.Getenv(name) != "" {
			return true
		}
	}
	return false
}

// ConfigFromEnv builds a Config from the fabric-samples environment variables: those
// of the gateway applications (CHANNEL_NAME, MSP_ID, CRYPTO_PATH, ...) and, where
// they are unset, those of the peer CLI (CORE_PEER_LOCALMSPID, CORE_PEER_ADDRESS,
// CORE_PEER_TLS_ROOTCERT_FILE, CORE_PEER_MSPCONFIGPATH). Unset variables default
// to User1 of the core enterprise on the dev network in .devnet: CRYPTO_PATH
// .devnet/organizations/peerOrganizations/core.example.com, MSP_ID
// CoreEnterpriseMSP, KEY_DIRECTORY_PATH and CERT_PATH under users/User1@<domain>/msp,
// TLS_CERT_PATH peers/peer0.<domain>/tls/ca.crt, PEER_ENDPOINT dns:///localhost:7051,
// PEER_HOST_ALIAS peer0.<domain>. The domain is the last element of CRYPTO_PATH.
func ConfigFromEnv() Config {
	cryptoPath := envOr(EnvCryptoPath, filepath.Join(".devnet", "organizations", "peerOrganizations", "core.example.com"))
	domain := filepath.Base(cryptoPath)
	userMSP := envOr(EnvPeerMSPConfigPath, filepath.Join(cryptoPath, "users", "User1@"+domain, "msp"))
	certPath := os.Getenv(EnvCertPath)
	if certPath == "" {
		certPath = envOr(EnvCertDirectory, filepath.Join(userMSP, "signcerts"))
	}
	cfg := Config{
		Channel:     envOr(EnvChannelName, DefaultChannel),
		Chaincode:   envOr(EnvChaincodeName, DefaultChaincode),
		MSPID:       envOr(EnvMSPID, envOr(EnvPeerLocalMSPID, "CoreEnterpriseMSP")),
		KeyPath:     envOr(EnvKeyDirectoryPath, filepath.Join(userMSP, "keystore")),
		CertPath:    certPath,
		TLSCertPath: envOr(EnvTLSCertPath, envOr(EnvPeerTLSRootCert, filepath.Join(cryptoPath, "peers", "peer0."+domain, "tls", "ca.crt"))),
		Endpoint:    envOr(EnvPeerEndpoint, "dns:///localhost:7051"),
		HostAlias:   envOr(EnvPeerHostAlias, "peer0."+domain),
	}
	if os.Getenv(EnvPeerEndpoint) == "" {
		if address := os.Getenv(EnvPeerAddress); address != "" {
			// The peer CLI checks the peer's TLS certificate against the address's host.
			cfg.Endpoint = address
			cfg.HostAlias = envOr(EnvPeerHostAlias, os.Getenv(EnvPeerTLSHostOverride))
		}
	}
	if os.Getenv(EnvTLSCertPath) == "" && os.Getenv(EnvPeerTLSEnabled) == "false" {
		cfg.TLSCertPath = ""
	}
	return cfg
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// DevnetConfig finds the connection profile and MSP directory of a user of a dev
// network (or any network in the fabric-samples layout, such as the native Fabric
// network of scripts/network.sh) kept in dir. who is "<User>@<MSPID>", e.g.
// "User1@CoreEnterpriseMSP" or "Jinggong@AssociationMSP".
func DevnetConfig(dir, who string) (Config, error) {
	if _, _, err := splitWho(who); err != nil {
		return Config{}, err
	}
	profiles, err := profilePaths(dir)
	if err != nil {
		return Config{}, err
	}
	var orgs []string
	for _, path := range profiles {
		cfg, org, err := profileUser(path, who)
		if err == errOtherOrg {
			orgs = append(orgs, org)
			continue
		}
		return cfg, err
	}
	if len(profiles) == 0 {
		return Config{}, fmt.Errorf("no connection profile under %s (is the network started there?)", dir)
	}
	_, mspID, _ := splitWho(who)
	return Config{}, fmt.Errorf("identity %s: no connection profile for %s (found %s)", who, mspID, strings.Join(orgs, ", "))
}

// ProfileConfig acts as who ("<User>@<MSPID>") through the connection profile at
// path, whose client organization must be the user's MSP; the user's MSP directory
// is users/<User>@<domain>/msp beside the profile, as every network of this
// project writes it.
func ProfileConfig(path, who string) (Config, error) {
	if _, _, err := splitWho(who); err != nil {
		return Config{}, err
	}
	cfg, org, err := profileUser(path, who)
	if err == errOtherOrg {
		return Config{}, fmt.Errorf("identity %s: connection profile %s is for %s", who, path, org)
	}
	return cfg, err
}

// errOtherOrg says a profile belongs to another organization than the user's.
var errOtherOrg = errors.New("profile of another organization")

// profileUser returns the config of who through the profile at path, or
// errOtherOrg with the profile's organization.
func profileUser(path, who string) (Config, string, error) {
	user, mspID, _ := splitWho(who)
	p, err := profile.Load(path)
	if err != nil {
		return Config{}, "", err
	}
	if p.MSPID() != mspID {
		return Config{}, p.MSPID(), errOtherOrg
	}
	orgDir := filepath.Dir(path)
	mspDir := filepath.Join(orgDir, "users", user+"@"+filepath.Base(orgDir), "msp")
	if _, err := os.Stat(mspDir); err != nil {
		return Config{}, mspID, fmt.Errorf("identity %s: %w", who, err)
	}
	return Config{Profile: path, MSPID: mspID, MSPDir: mspDir}, mspID, nil
}

// splitWho splits "<User>@<MSPID>".
func splitWho(who string) (user, mspID string, err error) {
	user, mspID, ok := strings.Cut(who, "@")
	if !ok || user == "" || mspID == "" {
		return "", "", fmt.Errorf("identity %q: want <User>@<MSPID>", who)
	}
	return user, mspID, nil
}

// credentialPaths resolves the certificate and key files of the config's identity.
func (cfg Config) credentialPaths() (certPath, keyPath string, err error) {
	certPath, keyPath = cfg.CertPath, cfg.KeyPath
	if certPath == "" && keyPath == "" {
		if cfg.MSPDir == "" {
			return "", "", errors.New("no identity: give a certificate and key, or an MSP directory")
		}
		certPath, keyPath = filepath.Join(cfg.MSPDir, "signcerts"), filepath.Join(cfg.MSPDir, "keystore")
	}
	if certPath == "" || keyPath == "" {
		return "", "", errors.New("no identity: give both a certificate and a key")
	}
	if certPath, err = firstFile(certPath); err != nil {
		return "", "", fmt.Errorf("certificate: %w", err)
	}
	if keyPath, err = firstFile(keyPath); err != nil {
		return "", "", fmt.Errorf("private key: %w", err)
	}
	return certPath, keyPath, nil
}

// firstFile returns path if it is a file, or the first regular file (by name) in it
// if it is a directory, as the fabric-samples applications read keystores.
func firstFile(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if !info.IsDir() {
		return path, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return "", err
	}
	for _, entry := range entries {
		if entry.Type().IsRegular() {
			return filepath.Join(path, entry.Name()), nil
		}
	}
	return "", fmt.Errorf("no file in directory %s", path)
}
