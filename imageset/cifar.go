package imageset

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// CIFARKind says which CIFAR binary format a file is in and which label to use.
type CIFARKind int

const (
	CIFAR10        CIFARKind = iota // records of 1 label byte + 3072 pixel bytes
	CIFAR100Coarse                  // records of coarse, fine label bytes + 3072; the 20 superclasses
	CIFAR100Fine                    // the same records; the 100 classes
)

func (k CIFARKind) String() string {
	switch k {
	case CIFAR10:
		return "CIFAR-10"
	case CIFAR100Coarse:
		return "CIFAR-100 (coarse)"
	case CIFAR100Fine:
		return "CIFAR-100 (fine)"
	}
	return fmt.Sprintf("CIFARKind(%d)", int(k))
}

func (k CIFARKind) labelBytes() int {
	if k == CIFAR10 {
		return 1
	}
	return 2
}

// Classes returns the kind's class names in label order.
func (k CIFARKind) Classes() []string {
	switch k {
	case CIFAR10:
		return append([]string(nil), cifar10Classes...)
	case CIFAR100Coarse:
		return append([]string(nil), cifar100Coarse...)
	case CIFAR100Fine:
		return append([]string(nil), cifar100Fine...)
	}
	panic(fmt.Sprintf("imageset: unknown %v", k))
}

// metaFile is the class-name file the binary distribution ships beside the batches.
func (k CIFARKind) metaFile() string {
	switch k {
	case CIFAR10:
		return "batches.meta.txt"
	case CIFAR100Coarse:
		return "coarse_label_names.txt"
	}
	return "fine_label_names.txt"
}

const (
	cifarSide   = 32
	cifarPixels = 3 * cifarSide * cifarSide
)

// DecodeCIFAR reads records of the CIFAR binary format from r until its end: per
// image, the label byte (CIFAR-10) or the coarse and fine label bytes (CIFAR-100),
// then 3072 bytes, the 32×32 red plane, then green, then blue, rows top first. The
// set is 32×32×3 NHWC in [0, 1], with kind's built-in class names. name names the
// input in errors; a last partial record is an error at its offset.
func DecodeCIFAR(r io.Reader, name string, kind CIFARKind) (*Set, error) {
	classes := kind.Classes()
	lb := kind.labelBytes()
	rec := make([]byte, lb+cifarPixels)
	s := &Set{Classes: classes, H: cifarSide, W: cifarSide, C: 3}
	br := bufio.NewReaderSize(r, 1<<16)
	const plane = cifarSide * cifarSide
	for off := int64(0); ; off += int64(len(rec)) {
		n, err := io.ReadFull(br, rec)
		if err == io.EOF {
			break
		}
		if err == io.ErrUnexpectedEOF {
			return nil, formatErr(name, off+int64(n), "record", fmt.Sprintf("image %d: truncated: %d of %d bytes (a %v record is %d)", len(s.Labels), n, len(rec), kind, len(rec)), nil)
		}
		if err != nil {
			return nil, formatErr(name, off+int64(n), "record", "", err)
		}
		if kind != CIFAR10 && int(rec[0]) >= len(cifar100Coarse) {
			return nil, formatErr(name, off, "label", fmt.Sprintf("image %d: coarse label %d not in [0, %d)", len(s.Labels), rec[0], len(cifar100Coarse)), nil)
		}
		at := 0 // offset of the label used, within the record
		if kind == CIFAR100Fine {
			at = 1
		}
		y := int(rec[at])
		if y >= len(classes) {
			return nil, formatErr(name, off+int64(at), "label", fmt.Sprintf("image %d: %v label %d not in [0, %d)", len(s.Labels), kind, y, len(classes)), nil)
		}
		s.Labels = append(s.Labels, y)
		px := rec[lb:]
		base := len(s.Pixels)
		s.Pixels = slices.Grow(s.Pixels, cifarPixels)[:base+cifarPixels]
		dst := s.Pixels[base:]
		for p := 0; p < plane; p++ {
			dst[3*p] = byteScale[px[p]]
			dst[3*p+1] = byteScale[px[plane+p]]
			dst[3*p+2] = byteScale[px[2*plane+p]]
		}
	}
	if len(s.Labels) == 0 {
		return nil, formatErr(name, 0, "record", "no images", nil)
	}
	return s, nil
}

// ReadCIFAR reads and concatenates the CIFAR binary files at paths (see DecodeCIFAR).
// When the distribution's class-name file (batches.meta.txt, coarse_label_names.txt
// or fine_label_names.txt) is beside the first file, its names are used.
func ReadCIFAR(kind CIFARKind, paths ...string) (*Set, error) {
	if len(paths) == 0 {
		return nil, errors.New("imageset: ReadCIFAR: no files")
	}
	sets := make([]*Set, 0, len(paths))
	for _, p := range paths {
		s, err := readCIFARFile(kind, p)
		if err != nil {
			return nil, err
		}
		sets = append(sets, s)
	}
	s := concat(sets)
	meta := filepath.Join(filepath.Dir(paths[0]), kind.metaFile())
	if b, err := os.ReadFile(meta); err == nil {
		names := strings.Fields(strings.ReplaceAll(string(b), "\r", ""))
		if len(names) != len(s.Classes) {
			return nil, formatErr(meta, -1, "classes", fmt.Sprintf("%d names, want %d for %v", len(names), len(s.Classes), kind), nil)
		}
		s.Classes = names
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("imageset: %w", err)
	}
	return s, nil
}

func readCIFARFile(kind CIFARKind, path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("imageset: %w", err)
	}
	defer f.Close()
	return DecodeCIFAR(f, path, kind)
}

// LoadCIFAR10 reads the CIFAR-10 split "train" (data_batch_1.bin to data_batch_5.bin,
// 50000 images) or "test" (test_batch.bin, 10000) from dir, the unpacked
// cifar-10-batches-bin folder.
func LoadCIFAR10(dir, split string) (*Set, error) {
	if _, err := splitPrefix(split, "", ""); err != nil {
		return nil, err
	}
	paths := []string{filepath.Join(dir, "test_batch.bin")}
	if split == "train" {
		paths = paths[:0]
		for i := 1; i <= 5; i++ {
			paths = append(paths, filepath.Join(dir, fmt.Sprintf("data_batch_%d.bin", i)))
		}
	}
	return ReadCIFAR(CIFAR10, paths...)
}

// LoadCIFAR100 reads the CIFAR-100 split "train" (train.bin, 50000 images) or "test"
// (test.bin, 10000) from dir, the unpacked cifar-100-binary folder, with the fine
// (100 classes) or coarse (20 superclasses) labels.
func LoadCIFAR100(dir, split string, fine bool) (*Set, error) {
	name, err := splitPrefix(split, "train.bin", "test.bin")
	if err != nil {
		return nil, err
	}
	kind := CIFAR100Coarse
	if fine {
		kind = CIFAR100Fine
	}
	return ReadCIFAR(kind, filepath.Join(dir, name))
}

var cifar10Classes = []string{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}

var cifar100Coarse = []string{
	"aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
	"household_electrical_devices", "household_furniture", "insects", "large_carnivores",
	"large_man-made_outdoor_things", "large_natural_outdoor_scenes",
	"large_omnivores_and_herbivores", "medium_mammals", "non-insect_invertebrates",
	"people", "reptiles", "small_mammals", "trees", "vehicles_1", "vehicles_2",
}

var cifar100Fine = []string{
	"apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle",
	"bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle",
	"chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur",
	"dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard",
	"lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain",
	"mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck", "pine_tree",
	"plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket",
	"rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider",
	"squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger", "tractor",
	"train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm",
}
