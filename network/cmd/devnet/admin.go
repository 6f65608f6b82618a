package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/rpc"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
)

// adminSocket is where a running "devnet up" takes admin commands (addorg,
// removeorg), in the network's directory, readable by its owner only.
func adminSocket(dir string) string { return filepath.Join(dir, "devnet.sock") }

// orgChangeTimeout bounds one addorg or removeorg.
const orgChangeTimeout = 5 * time.Minute

// OrgChange asks the running network to add or remove an org.
type OrgChange struct {
	// Org names an org of the consortium description (config.Consortium):
	// its MSP ID, or the first label of its domain (bank2 for bank2.example.com).
	Org string
	// Signers are the MSP IDs whose admins sign the update; empty: a majority.
	Signers []string
}

// OrgChanged reports an update the network ordered.
type OrgChanged struct {
	MSPID    string
	Block    uint64
	Signers  []string
	Members  int
	Address  string
	Profile  string
	EnvFile  string
	Channels []string
}

// Admin is the admin service a running "devnet up" serves on its socket.
type Admin struct {
	network *devnet.Network
}

// AddOrg adds an org of the consortium to the running network.
func (a *Admin) AddOrg(change OrgChange, reply *OrgChanged) error {
	org, err := consortiumOrg(change.Org)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), orgChangeTimeout)
	defer cancel()
	update, err := a.network.AddOrg(ctx, *org, change.Signers...)
	if err != nil {
		return err
	}
	*reply = OrgChanged{MSPID: update.MSPID, Block: update.Block, Signers: update.Signers, Members: update.Members}
	reply.Address, _ = a.network.PeerAddress(org.MSPID)
	reply.Profile, _ = a.network.ProfilePath(org.MSPID)
	reply.EnvFile, _ = a.network.EnvFilePath(org.MSPID)
	reply.Channels, err = a.network.ChannelMembers(ctx)
	return err
}

// RemoveOrg removes an org from the running network's channel.
func (a *Admin) RemoveOrg(change OrgChange, reply *OrgChanged) error {
	mspID := change.Org
	if org, err := consortiumOrg(change.Org); err == nil {
		mspID = org.MSPID
	}
	ctx, cancel := context.WithTimeout(context.Background(), orgChangeTimeout)
	defer cancel()
	update, err := a.network.RemoveOrg(ctx, mspID, change.Signers...)
	if err != nil {
		return err
	}
	*reply = OrgChanged{MSPID: update.MSPID, Block: update.Block, Signers: update.Signers, Members: update.Members}
	reply.Channels, err = a.network.ChannelMembers(ctx)
	return err
}

// consortiumOrg finds an org of the consortium description by MSP ID or by
// the first label of its domain.
func consortiumOrg(name string) (*config.Org, error) {
	consortium := config.Consortium()
	var names []string
	for i, org := range consortium.Orgs {
		short, _, _ := strings.Cut(org.Domain, ".")
		if name == org.MSPID || name == short {
			return &consortium.Orgs[i], nil
		}
		names = append(names, short)
	}
	return nil, fmt.Errorf("no org %q in the consortium (one of %s, or its MSP ID)", name, strings.Join(names, ", "))
}

// serveAdmin serves the admin service on the network directory's socket
// until the returned function is called.
func serveAdmin(network *devnet.Network) (stop func(), err error) {
	path := adminSocket(network.Dir())
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	listener, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		_ = listener.Close()
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	server := rpc.NewServer()
	if err := server.Register(&Admin{network: network}); err != nil {
		_ = listener.Close()
		return nil, fmt.Errorf("admin service: %w", err)
	}
	go func() {
		for {
			conn, err := listener.Accept()
			if err != nil {
				return // the socket closed
			}
			go server.ServeConn(conn)
		}
	}()
	return func() { _ = listener.Close() }, nil
}

// orgCommand runs addorg or removeorg against the network running in dir.
func orgCommand(verb, dir string, change OrgChange, stdout io.Writer) error {
	client, err := rpc.Dial("unix", adminSocket(dir))
	if err != nil {
		return fmt.Errorf("no running dev network in %s (start it with: devnet up --dir %s): %w", dir, dir, err)
	}
	defer client.Close()
	method := map[string]string{"addorg": "Admin.AddOrg", "removeorg": "Admin.RemoveOrg"}[verb]
	var reply OrgChanged
	if err := client.Call(method, change, &reply); err != nil {
		return fmt.Errorf("%s %s: %w", verb, change.Org, err)
	}
	action := "added"
	if verb == "removeorg" {
		action = "removed"
	}
	fmt.Fprintf(stdout, "config update %s %s in block %d (%d of %d signatures: %s)\n", action, reply.MSPID, reply.Block,
		len(reply.Signers), reply.Members, strings.Join(reply.Signers, ", "))
	if reply.Address != "" {
		fmt.Fprintf(stdout, "peer      %-18s %s  %s (caught up)\n", reply.MSPID, reply.Address, reply.Profile)
		fmt.Fprintf(stdout, "env       %s\n", reply.EnvFile)
	}
	fmt.Fprintf(stdout, "members   %s\n", strings.Join(reply.Channels, ", "))
	return nil
}
