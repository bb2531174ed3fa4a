package sweep

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// ServerConfig configures an embedded NATS server with JetStream.
type ServerConfig struct {
	// StoreDir is the directory of JetStream's file store (created if missing). A
	// server restarted on the same directory has the streams, consumers and buckets
	// of the earlier one.
	StoreDir string
	// Listen is host:port for clients. "" means 127.0.0.1 with a random port; a
	// port of 0 is random too. Use a fixed port when workers on other machines (or
	// an erg worker started before a coordinator restart) must find the server.
	Listen string
	// NoListen serves only in-process connections (Server.Connect): no port at all.
	NoListen bool
	// Client authentication, optional: a user and password, or a token. Clients
	// connect with the same (ConnectOptions).
	User, Password, Token string
}

// Server is an embedded NATS server with JetStream, for sweeps on one machine or
// for erg sweep serve.
type Server struct {
	s   *server.Server
	url string
}

// StartServer starts an embedded server and waits until it accepts clients.
func StartServer(cfg ServerConfig) (*Server, error) {
	if cfg.StoreDir == "" {
		return nil, errors.New("sweep: server: no store directory")
	}
	if err := os.MkdirAll(cfg.StoreDir, 0o755); err != nil {
		return nil, fmt.Errorf("sweep: server: %w", err)
	}
	host, port := "127.0.0.1", server.RANDOM_PORT
	if cfg.Listen != "" {
		h, p, err := net.SplitHostPort(cfg.Listen)
		if err != nil {
			return nil, fmt.Errorf("sweep: server: listen address %q: %w", cfg.Listen, err)
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 {
			return nil, fmt.Errorf("sweep: server: listen address %q: bad port", cfg.Listen)
		}
		if h != "" {
			host = h
		}
		if n != 0 {
			port = n
		}
	}
	opts := &server.Options{
		ServerName:             "erg-sweep",
		Host:                   host,
		Port:                   port,
		DontListen:             cfg.NoListen,
		JetStream:              true,
		StoreDir:               cfg.StoreDir,
		NoLog:                  true,
		NoSigs:                 true,
		DisableJetStreamBanner: true,
		Username:               cfg.User,
		Password:               cfg.Password,
		Authorization:          cfg.Token,
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("sweep: server: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(20 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("sweep: server on %s:%d (store %s) not ready after 20 s", host, port, cfg.StoreDir)
	}
	if !s.JetStreamEnabled() {
		s.Shutdown()
		return nil, fmt.Errorf("sweep: server: JetStream did not start (store %s)", cfg.StoreDir)
	}
	srv := &Server{s: s}
	if !cfg.NoListen {
		srv.url = s.ClientURL()
	}
	return srv, nil
}

// URL is the server's client URL (nats://127.0.0.1:PORT), "" with NoListen. It
// never holds credentials.
func (s *Server) URL() string { return s.url }

// Connect connects to the server in process (no network); opt's credentials are used.
func (s *Server) Connect(opt ConnectOptions) (*Conn, error) {
	return connect("", append(opt.natsOptions(), nats.InProcessServer(s.s)))
}

// Shutdown stops the server; its store stays on disk.
func (s *Server) Shutdown() {
	s.s.Shutdown()
	s.s.WaitForShutdown()
}

// Redact returns the server URL(s) u (comma-separated) with any user, password or
// token removed, for messages and logs.
func Redact(u string) string {
	parts := strings.Split(u, ",")
	for i, p := range parts {
		parts[i] = redactOne(strings.TrimSpace(p))
	}
	return strings.Join(parts, ",")
}
