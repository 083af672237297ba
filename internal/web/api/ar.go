package api

import (
	"net/http"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/web/httpx"
)

// AR: the API that hands out a product's GLB and USDZ (brand-scoped). The
// public AR page is not the API's.

// getAR answers 200 with the signed URLs when the USDZ is ready, 202 with
// the job while it is being made, 422 when the conversion failed.
func (s *API) getAR(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	res, err := s.AR.Get(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, arStatus(res.Status), res)
	return nil
}

// arStatus is the HTTP status of an AR answer, a product's or a design's:
// 200 ready, 202 being made, 422 failed.
func arStatus(st ar.State) int {
	switch st {
	case ar.Pending:
		return http.StatusAccepted
	case ar.Failed:
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}
