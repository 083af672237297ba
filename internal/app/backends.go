package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/config"
)

// mailSender sends through SMTP when configured. Without it, dev writes
// emails (and the links in them) to the log, which is what a developer
// wants; serve and worker drop them with a warning that names no link,
// since the links carry reset, confirmation and invitation tokens.
func mailSender(cfg *config.Config, logger *slog.Logger) (mail.Sender, error) {
	if cfg.SMTPURL == "" {
		if cfg.Mode == config.Dev {
			return mail.NewLogSender(logger), nil
		}
		logger.Warn("LUNEO_SMTP_URL is not set: emails (confirmations, password resets, invitations) are dropped, not sent")
		return mail.NewDropSender(logger), nil
	}
	s, err := mail.NewSMTP(cfg.SMTPURL, cfg.MailFrom)
	if err != nil {
		return nil, fmt.Errorf("LUNEO_SMTP_URL: %w", err)
	}
	return s, nil
}

// openBlobs opens the S3 store of an s3:// LUNEO_BLOB_URL, pinging it so a
// wrong bucket or key fails at start, or else the local folder of a file:
// one, whose signed URLs point at baseURL.
func openBlobs(ctx context.Context, cfg *config.Config, baseURL string) (blob.Store, error) {
	if bucket, prefix, err := cfg.S3Bucket(); err == nil {
		s, err := blob.NewS3(ctx, blob.S3Config{
			Endpoint: cfg.S3.Endpoint, Region: cfg.S3.Region, Bucket: bucket, Prefix: prefix,
			AccessKey: cfg.S3.AccessKey, SecretKey: cfg.S3.SecretKey, PathStyle: cfg.S3.PathStyle,
		})
		if err != nil {
			return nil, fmt.Errorf("LUNEO_BLOB_URL: %w", err)
		}
		if err := s.Ping(ctx); err != nil {
			return nil, fmt.Errorf("LUNEO_BLOB_URL: %w", err)
		}
		return s, nil
	}
	fs, err := blob.NewFS(cfg.BlobDir(), baseURL, []byte(cfg.Secret))
	if err != nil {
		return nil, fmt.Errorf("LUNEO_BLOB_URL: %w", err)
	}
	return fs, nil
}
