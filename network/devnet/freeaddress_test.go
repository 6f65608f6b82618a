package devnet

import (
	"net"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFreeAddressAvoidsTheEphemeralRange: a chaincode server's port is picked
// below the ports the kernel hands to port-0 listeners and outgoing
// connections, and is free to listen on.
func TestFreeAddressAvoidsTheEphemeralRange(t *testing.T) {
	for range 20 {
		address, err := freeAddress()
		require.NoError(t, err)
		host, port, err := net.SplitHostPort(address)
		require.NoError(t, err)
		require.Equal(t, "127.0.0.1", host)
		n, err := strconv.Atoi(port)
		require.NoError(t, err)
		require.GreaterOrEqual(t, n, chaincodePortLow)
		require.Less(t, n, chaincodePortHigh)
		listener, err := net.Listen("tcp", address)
		require.NoError(t, err, "the picked port is free")
		require.NoError(t, listener.Close())
	}
}
