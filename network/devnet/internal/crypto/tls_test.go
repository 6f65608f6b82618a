package crypto_test

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTLSCertificates(t *testing.T) {
	org1 := generate(t, t.TempDir(), testSpecs()).Orgs[0]
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(org1.TLSCACertPEM))

	for _, serverName := range []string{"peer0.org1.example.com", "localhost", "127.0.0.1"} {
		t.Run("Mutual TLS handshake succeeds for "+serverName, func(t *testing.T) {
			serverConn, clientConn := net.Pipe()
			defer serverConn.Close()
			defer clientConn.Close()
			server := tls.Server(serverConn, &tls.Config{
				Certificates: []tls.Certificate{org1.Node.TLSCert},
				ClientCAs:    roots,
				ClientAuth:   tls.RequireAndVerifyClientCert,
				MinVersion:   tls.VersionTLS12,
			})
			client := tls.Client(clientConn, &tls.Config{
				Certificates: []tls.Certificate{org1.Users["User1"].TLSCert},
				RootCAs:      roots,
				ServerName:   serverName,
				MinVersion:   tls.VersionTLS12,
			})
			serverErr := make(chan error, 1)
			go func() { serverErr <- server.Handshake() }()
			require.NoError(t, client.Handshake())
			require.NoError(t, <-serverErr)
			require.Equal(t, "User1@org1.example.com", server.ConnectionState().PeerCertificates[0].Subject.CommonName)
		})
	}

	t.Run("TLS files load with crypto/tls", func(t *testing.T) {
		server, err := tls.LoadX509KeyPair(filepath.Join(org1.Node.TLSDir, "server.crt"), filepath.Join(org1.Node.TLSDir, "server.key"))
		require.NoError(t, err)
		require.Equal(t, org1.Node.TLSCert.Certificate, server.Certificate)
		userTLS := org1.Users["User1"].TLSDir
		_, err = tls.LoadX509KeyPair(filepath.Join(userTLS, "client.crt"), filepath.Join(userTLS, "client.key"))
		require.NoError(t, err)
	})

	t.Run("Handshake fails for a name the certificate does not carry", func(t *testing.T) {
		serverConn, clientConn := net.Pipe()
		defer serverConn.Close()
		defer clientConn.Close()
		server := tls.Server(serverConn, &tls.Config{Certificates: []tls.Certificate{org1.Node.TLSCert}})
		go func() { _ = server.Handshake(); serverConn.Close() }()
		client := tls.Client(clientConn, &tls.Config{RootCAs: roots, ServerName: "peer1.org1.example.com"})
		require.Error(t, client.Handshake())
	})
}
