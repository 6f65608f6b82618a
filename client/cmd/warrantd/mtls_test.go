package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/client/httpapi"
	"github.com/scfledger/warrants/test/testnet"
)

// testCA issues certificates for the mTLS test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newTestCA(t *testing.T) *testCA {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	template := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ERP client CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &testCA{cert: cert, key: key}
}

// issue returns a leaf certificate and key for a client or a server.
func (ca *testCA) issue(t *testing.T, name string, serial int64, usage x509.ExtKeyUsage) tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	template := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{usage},
		KeyUsage: x509.KeyUsageDigitalSignature, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
	der, err := x509.CreateCertificate(rand.Reader, template, ca.cert, &key.PublicKey, ca.key)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// writePEM writes a certificate and its key as PEM files.
func writePEM(t *testing.T, dir, name string, cert tls.Certificate) (certPath, keyPath string) {
	certPath, keyPath = filepath.Join(dir, name+".crt"), filepath.Join(dir, name+".key")
	require.NoError(t, os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600))
	keyDER, err := x509.MarshalECPrivateKey(cert.PrivateKey.(*ecdsa.PrivateKey))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600))
	return certPath, keyPath
}

// TestHTTPAPIClientCertificate authenticates a caller by its TLS client certificate:
// it acts as the identity it is mapped to, is refused any other, and a certificate
// of the right CA mapped to no caller, or none at all, is refused.
func TestHTTPAPIClientCertificate(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a dev network")
	}
	n := readOnly.Get(t)
	dir := t.TempDir()
	ca := newTestCA(t)
	caPath := filepath.Join(dir, "ca.crt")
	require.NoError(t, os.WriteFile(caPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.cert.Raw}), 0o600))
	serverCert, serverKey := writePEM(t, dir, "server", ca.issue(t, "warrantd", 2, x509.ExtKeyUsageServerAuth))
	hengdaERP := ca.issue(t, "hengda-erp", 3, x509.ExtKeyUsageClientAuth)
	stranger := ca.issue(t, "stranger", 4, x509.ExtKeyUsageClientAuth)
	callers := writeCallers(t, dir, httpapi.Caller{Name: "hengda-erp", CertSHA256: httpapi.Digest(hengdaERP.Certificate[0]),
		Identities: []string{testnet.AsHengda}})
	d := startDaemon(t, "--devnet", n.Dir(), "--callers", callers, "--tls-cert", serverCert, "--tls-key", serverKey, "--client-ca", caPath)

	roots := x509.NewCertPool()
	roots.AddCert(ca.cert)
	clientWith := func(certs ...tls.Certificate) *apiClient {
		api := newAPIClient(t, d.URL)
		api.http.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, Certificates: certs, MinVersion: tls.VersionTLS12}}
		return api
	}
	hengda := clientWith(hengdaERP)
	var enterprise map[string]any
	hengda.ok("GET", pathOf("v1", "enterprises", testnet.Hengda), "", nil, &enterprise)
	require.Equal(t, testnet.Hengda, enterprise["creditCode"])
	hengda.refused(403, "FORBIDDEN", "GET", "/v1/params", "", nil, httpapi.IdentityHeader, testnet.AsCore)
	clientWith(stranger).refused(401, "UNAUTHENTICATED", "GET", "/v1/params", "", nil)
	clientWith().refused(401, "UNAUTHENTICATED", "GET", "/v1/params", "", nil)
}
