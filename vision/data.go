package vision

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ergml/erg/imageset"
	"github.com/ergml/erg/internal/ergdata"
	"github.com/ergml/erg/run"
)

// Data is a resolved data set: where it is, what kind, and the normalisation that
// goes with it.
type Data struct {
	Kind string // "fashion-mnist", "mnist", "cifar10" or "folder"
	Dir  string // the directory read
	// Mean and Std are the published per-channel normalisation of the kind (nil for a
	// folder: computed from its training images).
	Mean, Std []float64
}

// folderTestFraction is the share of a folder without train/ and test/ subfolders
// held out (stratified, with folderSplitSeed) as its test set.
const (
	folderTestFraction = 0.2
	folderSplitSeed    = 20160627
)

// ParseData resolves a TrainConfig.Data value:
//
//	fashion-mnist[:DIR]  Fashion-MNIST IDX files; DIR defaults to imageset.FashionMNISTDir
//	                     (Debian's dataset-fashion-mnist), else $ERG_DATA/fashion-mnist
//	mnist[:DIR]          MNIST IDX files; DIR defaults to $ERG_DATA/mnist
//	cifar10[:DIR]        the CIFAR-10 binary version (cifar-10-batches-bin); DIR defaults
//	                     to $ERG_DATA/cifar-10-batches-bin
//	DIR                  an ImageFolder tree: DIR/train/<class>/*.png and DIR/test/<class>/...,
//	                     or DIR/<class>/*.png, of which 20% (stratified) is the test set
//
// The directory must exist. A failure is a *run.FieldError for "data".
func ParseData(spec string) (Data, error) {
	if spec == "" {
		return Data{}, &run.FieldError{Field: "data", Reason: "required: fashion-mnist, mnist, cifar10 (each optionally :DIR) or an ImageFolder directory"}
	}
	kind, dir, _ := strings.Cut(spec, ":")
	var d Data
	var defaults []string
	switch strings.ToLower(kind) {
	case "fashion-mnist", "fashionmnist", "fmnist":
		d = Data{Kind: "fashion-mnist", Mean: imageset.FashionMNISTMean, Std: imageset.FashionMNISTStd}
		defaults = []string{imageset.FashionMNISTDir, "fashion-mnist"}
	case "mnist":
		d = Data{Kind: "mnist", Mean: imageset.MNISTMean, Std: imageset.MNISTStd}
		defaults = []string{"mnist"}
	case "cifar10", "cifar-10":
		d = Data{Kind: "cifar10", Mean: imageset.CIFAR10Mean, Std: imageset.CIFAR10Std}
		defaults = []string{"cifar-10-batches-bin", "cifar10"}
	default:
		d = Data{Kind: "folder"}
		dir = spec
	}
	if dir == "" {
		var tried []string
		for _, p := range defaults {
			if !filepath.IsAbs(p) {
				root, err := ergdata.Dir()
				if err != nil {
					tried = append(tried, "$ERG_DATA/"+p)
					continue
				}
				p = filepath.Join(root, p)
			}
			if st, err := os.Stat(p); err == nil && st.IsDir() {
				dir = p
				break
			}
			tried = append(tried, p)
		}
		if dir == "" {
			return d, run.Invalid("data", spec, "not installed (looked at %s); give %s:DIR", strings.Join(tried, ", "), d.Kind)
		}
	}
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		what := "no such directory"
		if err == nil {
			what = "not a directory"
		}
		if d.Kind == "folder" {
			return d, run.Invalid("data", spec, "%s (want fashion-mnist, mnist, cifar10, each optionally :DIR, or an ImageFolder directory)", what)
		}
		return d, run.Invalid("data", spec, "%s: %s", dir, what)
	}
	if d.Dir, err = filepath.Abs(dir); err != nil {
		return d, err
	}
	return d, nil
}

// Load reads the train and test sets, unnormalised (pixels in [0, 1]).
func (d Data) Load() (trainSet, testSet *imageset.Set, err error) {
	switch d.Kind {
	case "fashion-mnist":
		if trainSet, err = imageset.LoadFashionMNIST(d.Dir, "train"); err == nil {
			testSet, err = imageset.LoadFashionMNIST(d.Dir, "test")
		}
	case "mnist":
		if trainSet, err = imageset.LoadMNIST(d.Dir, "train"); err == nil {
			testSet, err = imageset.LoadMNIST(d.Dir, "test")
		}
	case "cifar10":
		if trainSet, err = imageset.LoadCIFAR10(d.Dir, "train"); err == nil {
			testSet, err = imageset.LoadCIFAR10(d.Dir, "test")
		}
	case "folder":
		return d.loadFolder()
	default:
		return nil, nil, fmt.Errorf("vision: unknown data kind %q", d.Kind)
	}
	return trainSet, testSet, err
}

func (d Data) loadFolder() (trainSet, testSet *imageset.Set, err error) {
	tr, te := filepath.Join(d.Dir, "train"), filepath.Join(d.Dir, "test")
	if isDir(tr) && isDir(te) {
		if trainSet, err = imageset.ReadFolder(tr, imageset.FolderOptions{}); err != nil {
			return nil, nil, err
		}
		// The test images are brought to the training images' size and channels.
		testSet, err = imageset.ReadFolder(te, imageset.FolderOptions{Channels: trainSet.C, Height: trainSet.H, Width: trainSet.W, Resize: imageset.Bilinear})
		if err != nil {
			return nil, nil, err
		}
		if !slices.Equal(trainSet.Classes, testSet.Classes) {
			return nil, nil, fmt.Errorf("vision: %s has classes %v, %s has %v", tr, trainSet.Classes, te, testSet.Classes)
		}
		return trainSet, testSet, nil
	}
	all, err := imageset.ReadFolder(d.Dir, imageset.FolderOptions{})
	if err != nil {
		return nil, nil, err
	}
	testSet, trainSet = all.Split(folderTestFraction, folderSplitSeed, true)
	return trainSet, testSet, nil
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
