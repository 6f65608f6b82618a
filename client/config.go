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

// ConfigFromEnv builds a Config from the fabric-samples environment variables. Unset
// variables default to User1 of the core enterprise on the dev network in .devnet:
// CRYPTO_PATH .devnet/organizations/peerOrganizations/core.example.com, MSP_ID
// CoreEnterpriseMSP, KEY_DIRECTORY_PATH and CERT_PATH under users/User1@<domain>/msp,
// TLS_CERT_PATH peers/peer0.<domain>/tls/ca.crt, PEER_ENDPOINT dns:///localhost:7051,
// PEER_HOST_ALIAS peer0.<domain>. The domain is the last element of CRYPTO_PATH.
func ConfigFromEnv() Config {
	cryptoPath := envOr(EnvCryptoPath, filepath.Join(".devnet", "organizations", "peerOrganizations", "core.example.com"))
	domain := filepath.Base(cryptoPath)
	userMSP := filepath.Join(cryptoPath, "users", "User1@"+domain, "msp")
	certPath := os.Getenv(EnvCertPath)
	if certPath == "" {
		certPath = envOr(EnvCertDirectory, filepath.Join(userMSP, "signcerts"))
	}
	return Config{
		Channel:     envOr(EnvChannelName, DefaultChannel),
		Chaincode:   envOr(EnvChaincodeName, DefaultChaincode),
		MSPID:       envOr(EnvMSPID, "CoreEnterpriseMSP"),
		KeyPath:     envOr(EnvKeyDirectoryPath, filepath.Join(userMSP, "keystore")),
		CertPath:    certPath,
		TLSCertPath: envOr(EnvTLSCertPath, filepath.Join(cryptoPath, "peers", "peer0."+domain, "tls", "ca.crt")),
		Endpoint:    envOr(EnvPeerEndpoint, "dns:///localhost:7051"),
		HostAlias:   envOr(EnvPeerHostAlias, "peer0."+domain),
	}
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// DevnetConfig finds the connection profile and MSP directory of a user of a dev
// network (or any network in the fabric-samples layout) kept in dir. who is
// "<User>@<MSPID>", e.g. "User1@CoreEnterpriseMSP" or "Jinggong@AssociationMSP".
func DevnetConfig(dir, who string) (Config, error) {
	user, mspID, ok := strings.Cut(who, "@")
	if !ok || user == "" || mspID == "" {
		return Config{}, fmt.Errorf("identity %q: want <User>@<MSPID>", who)
	}
	profiles, err := profilePaths(dir)
	if err != nil {
		return Config{}, err
	}
	var orgs []string
	for _, path := range profiles {
		p, err := profile.Load(path)
		if err != nil {
			return Config{}, err
		}
		orgs = append(orgs, p.MSPID())
		if p.MSPID() != mspID {
			continue
		}
		orgDir := filepath.Dir(path)
		mspDir := filepath.Join(orgDir, "users", user+"@"+filepath.Base(orgDir), "msp")
		if _, err := os.Stat(mspDir); err != nil {
			return Config{}, fmt.Errorf("identity %s: %w", who, err)
		}
		return Config{Profile: path, MSPID: mspID, MSPDir: mspDir}, nil
	}
	return Config{}, fmt.Errorf("identity %s: no connection profile for %s (found %s)", who, mspID, strings.Join(orgs, ", "))
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
