package imageset_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"log"
	"testing/fstest"

	"github.com/ergml/erg/imageset"
	"github.com/ergml/erg/train"
)

// idx encodes an IDX file of unsigned bytes.
func idx(dims []int, data []byte) []byte {
	b := []byte{0, 0, 0x08, byte(len(dims))}
	for _, d := range dims {
		b = append(b, byte(d>>24), byte(d>>16), byte(d>>8), byte(d))
	}
	return append(b, data...)
}

func ExampleDecodeIDXSet() {
	images := idx([]int{2, 2, 2}, []byte{0, 255, 51, 102, 255, 255, 0, 0})
	labels := idx([]int{2}, []byte{9, 0})
	s, err := imageset.DecodeIDXSet(bytes.NewReader(images), bytes.NewReader(labels),
		"images", "labels", imageset.FashionMNISTClasses)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Len(), "images of", s.H, "×", s.W, "×", s.C)
	fmt.Println(s.Image(0), s.Classes[s.Labels[0]])

	// A file cut short is an error naming the file, the offset and the field.
	_, err = imageset.DecodeIDXSet(bytes.NewReader(images[:20]), bytes.NewReader(labels),
		"images", "labels", nil)
	fmt.Println(err)
	// Output:
	// 2 images of 2 × 2 × 1
	// [0 1 0.2 0.4] Ankle boot
	// images: offset 20: data: truncated: 4 of the 8 values of dims [2 2 2]
}

func ExampleLoadFashionMNIST() {
	// Debian's dataset-fashion-mnist package installs the files in FashionMNISTDir.
	train, err := imageset.LoadFashionMNIST("", "train")
	if err != nil {
		log.Fatal(err)
	}
	train.Normalize(imageset.FashionMNISTMean, imageset.FashionMNISTStd)
	fmt.Println(train.Len(), train.H, train.W, train.C, train.ClassCounts())
	// 60000 28 28 1 [6000 6000 6000 6000 6000 6000 6000 6000 6000 6000]
}

func ExampleDecodeCIFAR() {
	// One CIFAR-10 record: label 3, then the red, green and blue 32×32 planes.
	rec := make([]byte, 1+3072)
	rec[0] = 3
	rec[1], rec[1+1024], rec[1+2048] = 255, 51, 0 // pixel (0, 0) is orange
	s, err := imageset.DecodeCIFAR(bytes.NewReader(rec), "test_batch.bin", imageset.CIFAR10)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Len(), s.H, s.W, s.C, s.Classes[s.Labels[0]], s.Image(0)[:3])

	_, err = imageset.DecodeCIFAR(bytes.NewReader(append(rec, rec[:10]...)), "test_batch.bin", imageset.CIFAR10)
	fmt.Println(err)
	// Output:
	// 1 32 32 3 cat [1 0.2 0]
	// test_batch.bin: offset 3083: record: image 1: truncated: 10 of 3073 bytes (a CIFAR-10 record is 3073)
}

func ExampleReadFolderFS() {
	pngFile := func(w, h int, v byte) *fstest.MapFile {
		m := image.NewGray(image.Rect(0, 0, w, h))
		for i := range m.Pix {
			m.Pix[i] = v
		}
		var b bytes.Buffer
		png.Encode(&b, m)
		return &fstest.MapFile{Data: b.Bytes()}
	}
	root := fstest.MapFS{
		"cat/1.png": pngFile(4, 4, 255),
		"cat/2.png": pngFile(4, 4, 0),
		"dog/1.png": pngFile(8, 8, 51),
	}
	_, err := imageset.ReadFolderFS(root, "pets", imageset.FolderOptions{})
	fmt.Println(err)

	s, err := imageset.ReadFolderFS(root, "pets", imageset.FolderOptions{Height: 4, Width: 4, Resize: imageset.Bilinear})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Classes, s.Labels, s.H, s.W, s.C, s.Image(2)[0])
	// Output:
	// pets/dog/1.png: size: 8×8, want 4×4 as 1.png, the first image, has (set FolderOptions.Resize to resize)
	// [cat dog] [0 0 1] 4 4 1 0.2
}

// toy is n 4×4 gray images whose pixels are all i/n, with labels i mod 3.
func toy(n int) *imageset.Set {
	s := &imageset.Set{Pixels: make([]float32, n*16), Labels: make([]int, n), Classes: []string{"a", "b", "c"}, H: 4, W: 4, C: 1}
	for i := range s.Labels {
		s.Labels[i] = i % 3
		for j := range s.Image(i) {
			s.Image(i)[j] = float32(i) / float32(n)
		}
	}
	return s
}

func ExampleSet_Split() {
	s := toy(30)
	trainSet, valSet := s.Split(0.8, 1, true)
	fmt.Println(trainSet.Len(), trainSet.ClassCounts(), valSet.Len(), valSet.ClassCounts())
	// Output:
	// 24 [8 8 8] 6 [2 2 2]
}

func ExampleSet_Normalize() {
	s := toy(10)
	mean, std := s.Stats()
	fmt.Printf("mean %.2f std %.4f\n", mean[0], std[0])
	s.Normalize(mean, std)
	mean, std = s.Stats()
	fmt.Printf("mean %.2f std %.4f black %.4f\n", mean[0], std[0], s.Black(0))
	// Output:
	// mean 0.45 std 0.2872
	// mean 0.00 std 1.0000 black -1.5667
}

func ExampleLoader() {
	s := toy(100)
	data, err := imageset.NewLoader(s, imageset.LoaderConfig{
		BatchSize: 32, Seed: 7,
		Augment: imageset.Augment{Pad: 1, FlipH: true}, // CIFAR's recipe is Pad: 4
	})
	if err != nil {
		log.Fatal(err)
	}
	var _ train.Batches = data // what train.Trainer.Fit takes
	b, err := data.Batch(5)    // epoch 1, batch 2: depends only on (Seed, 5)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(data.StepsPerEpoch(), "steps per epoch;", b[0].Shape(), b[1].Shape())
	// Output:
	// 3 steps per epoch; (Float32)[32, 4, 4, 1] (Int32)[32]
}

func ExampleInOrder() {
	test := toy(10)
	eval, err := imageset.NewInOrder(test, 4, false)
	if err != nil {
		log.Fatal(err)
	}
	for k, b := range eval.All() {
		lo, hi := eval.Range(k)
		fmt.Println(k, lo, hi, b[0].Shape())
	}
	// Output:
	// 0 0 4 (Float32)[4, 4, 4, 1]
	// 1 4 8 (Float32)[4, 4, 4, 1]
	// 2 8 10 (Float32)[2, 4, 4, 1]
}
