package minirocket

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// DefaultAlphas returns logspace(-3, 3, 10), the regularisation grid of the reference
// experiments.
func DefaultAlphas() []float64 {
	a := make([]float64, 10)
	for i := range a {
		a[i] = math.Pow(10, -3+6*float64(i)/9)
	}
	return a
}

// Ridge is a one-vs-rest ridge classifier whose regularisation strength is chosen by
// efficient leave-one-out cross-validation, as scikit-learn's RidgeClassifierCV with
// normalize=True (the setting of the MiniRocket experiments): features are centred
// and divided by the L2 norm of the centred column (constant columns by 1), targets
// are coded ±1 per class, an unpenalised intercept is fitted, and the alpha with the
// smallest mean squared leave-one-out residual over all samples and classes wins
// (the first on ties).
//
// The leave-one-out residuals come from one eigendecomposition of the n×n Gram
// matrix XXᵀ (or of XᵀX when there are more samples than features): with XXᵀ = QΛQᵀ
// the hat matrix is H = 11ᵀ/n + Q diag(λ/(λ+α)) Qᵀ and the residual of sample i
// left out is (y − Hy)_i / (1 − H_ii).
type Ridge struct {
	// Alphas is the grid searched; nil means DefaultAlphas().
	Alphas []float64

	// Fitted values.
	Alpha     float64     // chosen regularisation
	LOOErrors []float64   // mean squared LOO residual per alpha
	Coef      [][]float64 // [class][feature], in the units of the unscaled features
	Intercept []float64   // [class]
}

// Fit fits the classifier to the n×p row-major matrix x with class indices y in
// [0, k).
func (r *Ridge) Fit(x []float64, n, p int, y []int, k int) error {
	if n < 2 || len(x) != n*p || len(y) != n {
		return fmt.Errorf("minirocket: ridge: need at least 2 samples and len(x) = n·p, len(y) = n (n=%d p=%d len(x)=%d len(y)=%d)", n, p, len(x), len(y))
	}
	if k < 2 {
		return errors.New("minirocket: ridge: need at least 2 classes")
	}
	alphas := r.Alphas
	if alphas == nil {
		alphas = DefaultAlphas()
	}
	// Centre and scale the features.
	mean := make([]float64, p)
	scale := make([]float64, p)
	for i := 0; i < n; i++ {
		row := x[i*p : (i+1)*p]
		for j, v := range row {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	xs := make([]float64, n*p)
	for i := 0; i < n; i++ {
		row, out := x[i*p:(i+1)*p], xs[i*p:(i+1)*p]
		for j, v := range row {
			d := v - mean[j]
			out[j] = d
			scale[j] += d * d
		}
	}
	for j := range scale {
		scale[j] = math.Sqrt(scale[j])
		if scale[j] == 0 {
			scale[j] = 1
		}
	}
	for i := 0; i < n; i++ {
		out := xs[i*p : (i+1)*p]
		for j := range out {
			out[j] /= scale[j]
		}
	}
	// Targets: ±1 per class, centred.
	yc := mat.NewDense(n, k, nil)
	ymean := make([]float64, k)
	for i, c := range y {
		if c < 0 || c >= k {
			return fmt.Errorf("minirocket: ridge: class index %d of sample %d outside [0,%d)", c, i, k)
		}
		for j := 0; j < k; j++ {
			v := -1.0
			if j == c {
				v = 1
			}
			yc.Set(i, j, v)
			ymean[j] += v
		}
	}
	for j := range ymean {
		ymean[j] /= float64(n)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			yc.Set(i, j, yc.At(i, j)-ymean[j])
		}
	}
	X := mat.NewDense(n, p, xs)
	q, lambda, err := leftSingular(X, n, p)
	if err != nil {
		return err
	}
	r_ := len(lambda)
	var qty mat.Dense
	qty.Mul(q.T(), yc) // r×k
	best := math.Inf(1)
	r.LOOErrors = make([]float64, len(alphas))
	q2 := make([]float64, n*r_) // Q_ij²
	for i := 0; i < n; i++ {
		for j := 0; j < r_; j++ {
			v := q.At(i, j)
			q2[i*r_+j] = v * v
		}
	}
	f := make([]float64, r_)
	for ai, alpha := range alphas {
		for j, l := range lambda {
			f[j] = l / (l + alpha)
		}
		var sum float64
		for i := 0; i < n; i++ {
			h := 1 / float64(n)
			for j := 0; j < r_; j++ {
				h += f[j] * q2[i*r_+j]
			}
			for c := 0; c < k; c++ {
				var yhat float64
				for j := 0; j < r_; j++ {
					yhat += q.At(i, j) * f[j] * qty.At(j, c)
				}
				e := (yc.At(i, c) - yhat) / (1 - h)
				sum += e * e
			}
		}
		r.LOOErrors[ai] = sum / float64(n*k)
		if r.LOOErrors[ai] < best {
			best = r.LOOErrors[ai]
			r.Alpha = alpha
		}
	}
	// Dual coefficients c = Q diag(1/(λ+α)) Qᵀ y, primal W = Xsᵀ c.
	var sc mat.Dense
	sc.CloneFrom(&qty)
	for j, l := range lambda {
		for c := 0; c < k; c++ {
			sc.Set(j, c, sc.At(j, c)/(l+r.Alpha))
		}
	}
	var dual, w mat.Dense
	dual.Mul(q, &sc)
	w.Mul(X.T(), &dual) // p×k
	r.Coef = make([][]float64, k)
	r.Intercept = make([]float64, k)
	for c := 0; c < k; c++ {
		r.Coef[c] = make([]float64, p)
		b := ymean[c]
		for j := 0; j < p; j++ {
			v := w.At(j, c) / scale[j]
			r.Coef[c][j] = v
			b -= mean[j] * v
		}
		r.Intercept[c] = b
	}
	return nil
}

// leftSingular returns the left singular vectors Q (n×r) of X and the squared
// singular values λ (r), for the singular values that are not numerically zero,
// from the eigendecomposition of XXᵀ or, when n > p, of XᵀX.
func leftSingular(X *mat.Dense, n, p int) (*mat.Dense, []float64, error) {
	var g mat.Dense
	if n <= p {
		g.Mul(X, X.T())
	} else {
		g.Mul(X.T(), X)
	}
	m, _ := g.Dims()
	sym := mat.NewSymDense(m, g.RawMatrix().Data)
	var eig mat.EigenSym
	if !eig.Factorize(sym, true) {
		return nil, nil, errors.New("minirocket: ridge: eigendecomposition failed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	maxv := 0.0
	for _, v := range vals {
		maxv = max(maxv, v)
	}
	tol := maxv * float64(max(n, p)) * 1e-15
	var keep []int
	for j, v := range vals {
		if v > tol {
			keep = append(keep, j)
		}
	}
	lambda := make([]float64, len(keep))
	q := mat.NewDense(n, max(len(keep), 1), nil)
	if len(keep) == 0 {
		return q, nil, nil
	}
	if n <= p {
		for c, j := range keep {
			lambda[c] = vals[j]
			for i := 0; i < n; i++ {
				q.Set(i, c, vecs.At(i, j))
			}
		}
		return q, lambda, nil
	}
	// U = X V / sqrt(λ)
	v := mat.NewDense(p, len(keep), nil)
	for c, j := range keep {
		lambda[c] = vals[j]
		for i := 0; i < p; i++ {
			v.Set(i, c, vecs.At(i, j)/math.Sqrt(vals[j]))
		}
	}
	q.Mul(X, v)
	return q, lambda, nil
}

// Decision returns the per-class scores of the feature vector x.
func (r *Ridge) Decision(x []float64) []float64 {
	s := make([]float64, len(r.Coef))
	for c, w := range r.Coef {
		if len(w) != len(x) {
			panic(fmt.Sprintf("minirocket: Ridge.Decision: %d features, fitted on %d", len(x), len(w)))
		}
		v := r.Intercept[c]
		for j, xj := range x {
			v += w[j] * xj
		}
		s[c] = v
	}
	return s
}

// Predict returns the index of the highest score (the first on ties).
func (r *Ridge) Predict(x []float64) int {
	s := r.Decision(x)
	best := 0
	for c, v := range s {
		if v > s[best] {
			best = c
		}
	}
	return best
}
