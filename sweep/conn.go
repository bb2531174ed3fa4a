package sweep

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ConnectOptions are the credentials and TLS files of a connection to a NATS server.
// The zero value connects without authentication. Secrets come from flags or the
// environment (FromEnv), never from grid files, and are never logged.
type ConnectOptions struct {
	User, Password string // user and password
	Token          string // or a token
	Creds          string // or a credentials file (JWT and NKey seed), as nsc writes
	TLSCA          string // CA certificate file to verify the server with
	TLSCert        string // client certificate file (with TLSKey)
	TLSKey         string
	Name           string // the connection's name, shown by the server's monitoring
	// Retry keeps trying to connect when no server is up yet (erg worker started
	// before its coordinator) instead of failing at once.
	Retry bool
}

// FromEnv fills the empty fields of o from the environment the way NATS tools do:
// $NATS_USER and $NATS_PASSWORD, $NATS_TOKEN, $NATS_CREDS, $NATS_CA, $NATS_CERT and
// $NATS_KEY.
func (o ConnectOptions) FromEnv() ConnectOptions {
	set := func(dst *string, env string) {
		if *dst == "" {
			*dst = os.Getenv(env)
		}
	}
	set(&o.User, "NATS_USER")
	set(&o.Password, "NATS_PASSWORD")
	set(&o.Token, "NATS_TOKEN")
	set(&o.Creds, "NATS_CREDS")
	set(&o.TLSCA, "NATS_CA")
	set(&o.TLSCert, "NATS_CERT")
	set(&o.TLSKey, "NATS_KEY")
	return o
}

// Check reports contradictory options.
func (o ConnectOptions) Check() error {
	n := 0
	for _, set := range []bool{o.User != "" || o.Password != "", o.Token != "", o.Creds != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return errors.New("sweep: give one of user/password, token or a credentials file")
	}
	if (o.TLSCert == "") != (o.TLSKey == "") {
		return errors.New("sweep: a TLS client certificate needs its key (and the key its certificate)")
	}
	for _, f := range []string{o.Creds, o.TLSCA, o.TLSCert, o.TLSKey} {
		if f == "" {
			continue
		}
		if _, err := os.Stat(f); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
	}
	return nil
}

func (o ConnectOptions) natsOptions() []nats.Option {
	opts := []nats.Option{nats.MaxReconnects(-1), nats.ReconnectWait(500 * time.Millisecond), nats.Timeout(10 * time.Second)}
	if o.Name != "" {
		opts = append(opts, nats.Name(o.Name))
	}
	if o.Retry {
		opts = append(opts, nats.RetryOnFailedConnect(true))
	}
	if o.User != "" || o.Password != "" {
		opts = append(opts, nats.UserInfo(o.User, o.Password))
	}
	if o.Token != "" {
		opts = append(opts, nats.Token(o.Token))
	}
	if o.Creds != "" {
		opts = append(opts, nats.UserCredentials(o.Creds))
	}
	if o.TLSCA != "" {
		opts = append(opts, nats.RootCAs(o.TLSCA))
	}
	if o.TLSCert != "" {
		opts = append(opts, nats.ClientCert(o.TLSCert, o.TLSKey))
	}
	return opts
}

// Conn is a connection to a NATS server with JetStream.
type Conn struct {
	NC *nats.Conn
	JS jetstream.JetStream
}

// Connect connects to the NATS server(s) at url (comma-separated for a cluster).
// It reconnects for ever after a disconnection.
func Connect(url string, opt ConnectOptions) (*Conn, error) {
	if err := opt.Check(); err != nil {
		return nil, err
	}
	return connect(url, opt.natsOptions())
}

func connect(url string, opts []nats.Option) (*Conn, error) {
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		where := Redact(url)
		if where == "" {
			where = "the embedded server"
		}
		return nil, fmt.Errorf("sweep: connecting to %s: %w", where, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("sweep: JetStream: %w", err)
	}
	return &Conn{NC: nc, JS: js}, nil
}

// Close closes the connection.
func (c *Conn) Close() { c.NC.Close() }

// redactOne removes the user information of one URL.
func redactOne(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		scheme, rest = "", u
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if slash := strings.Index(rest, "/"); slash < 0 || at < slash {
			rest = rest[at+1:]
		}
	}
	if scheme == "" {
		return rest
	}
	return scheme + "://" + rest
}
