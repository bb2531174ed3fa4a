#!/usr/bin/python3
"""Write ENVI test cubes with python3-spectral and GDAL (python3-gdal), for hsi/envi's tests.

usage:
  envi_golden.py golden DIR   the small committed set (hsi/envi/testdata/golden)
  envi_golden.py full DIR     every type x interleave x byte order (spectral) and type x interleave (GDAL)
  envi_golden.py dump HDR...  read each HDR with spectral; print the values, line-major bip order, one per line
                              (integers in decimal, floats as IEEE bit patterns in hex), after a line '# HDR'
  envi_golden.py gdaldump HDR... the same, read with GDAL's ENVI driver

The cube of each type is the same logical array, values(dtype) below, of shape
lines=2 x samples=3 x bands=4 (numpy bip layout [line, sample, band]); each type's values
are also written as DIR/values-<type>.txt in the dump format, so the Go test compares bit patterns.
Run: /usr/bin/python3 scripts/hsi/envi_golden.py golden hsi/envi/testdata/golden
"""
import os
import sys

import numpy as np
import spectral
import spectral.io.envi as envi

LINES, SAMPLES, BANDS = 2, 3, 4
TYPES = {1: np.uint8, 2: np.int16, 3: np.int32, 4: np.float32, 5: np.float64,
         12: np.uint16, 13: np.uint32, 14: np.int64, 15: np.uint64}
# GDAL 3.6's ENVI driver cannot write int64/uint64: it labels such a file "data type = 1"
# and writes bytes, so types 14 and 15 come from spectral only.
GDAL_TYPES = {1: 'Byte', 2: 'Int16', 3: 'Int32', 4: 'Float32', 5: 'Float64',
              12: 'UInt16', 13: 'UInt32'}
INTERLEAVES = ['bsq', 'bil', 'bip']


def values(code):
    t = np.dtype(TYPES[code])
    n = LINES * SAMPLES * BANDS
    if t.kind in 'iu':
        info = np.iinfo(t)
        special = [info.min, info.max, 0, 1, info.max - 1, info.min + 1]
        rest = [(k * 37) % 101 for k in range(n - len(special))]
        vals = np.array(special + rest, dtype=object).astype(t)
    else:
        f = np.finfo(t)
        special = [np.nan, np.inf, -np.inf, -0.0, f.tiny, f.max, -f.max, f.smallest_subnormal, -1.23e34, 0.1, 1 / 3.0]
        rest = [((k * 37) % 101) / 7.0 - 5.0 for k in range(n - len(special))]
        vals = np.array(special + rest, dtype=np.float64).astype(t)
    return vals.reshape(LINES, SAMPLES, BANDS)


def fmt(x, t):
    t = np.dtype(t)
    if t.kind in 'iu':
        return str(int(x))
    if t.itemsize == 4:
        return '%08x' % np.array(x, dtype='<f4').view('<u4')
    return '%016x' % np.array(x, dtype='<f8').view('<u8')


def write_values(d, code):
    v = values(code)
    with open(os.path.join(d, 'values-%d.txt' % code), 'w') as f:
        for x in v.ravel():
            f.write(fmt(x, TYPES[code]) + '\n')


META = {'wavelength': [450.5, 550.25, 650.0, 2200.125], 'fwhm': [9.5, 9.75, 10.0, 14.5],
        'band names': ['blue', 'green', 'red', 'swir'], 'wavelength units': 'Nanometers',
        'description': 'erg hsi/envi golden cube'}


def spy(d, code, il, bo):
    name = os.path.join(d, 'spy-%d-%s-%s.hdr' % (code, il, 'be' if bo else 'le'))
    envi.save_image(name, values(code), dtype=TYPES[code], interleave=il, byteorder=bo,
                    metadata=dict(META), force=True)
    return name


def gdal_cube(d, code, il):
    from osgeo import gdal
    gdal.UseExceptions()
    name = os.path.join(d, 'gdal-%d-%s.img' % (code, il))
    drv = gdal.GetDriverByName('ENVI')
    ds = drv.Create(name, SAMPLES, LINES, BANDS, getattr(gdal, 'GDT_' + GDAL_TYPES[code]),
                    options=['INTERLEAVE=' + il.upper()])
    v = values(code)
    for b in range(BANDS):
        band = ds.GetRasterBand(b + 1)
        band.WriteArray(v[:, :, b])
        band.SetDescription(META['band names'][b])
    ds.FlushCache()
    ds = None
    return name


def offset_copy(d):
    """A spectral float32 bsq cube with 17 junk bytes before the data (header offset = 17)."""
    src = spy(d, 4, 'bsq', 0)
    base = src[:-4]
    with open(base + '.img', 'rb') as f:
        data = f.read()
    out = os.path.join(d, 'offset-4-bsq-le')
    with open(out + '.img', 'wb') as f:
        f.write(b'JUNK-BEFORE-DATA!' + data)
    with open(src) as f:
        hdr = f.read().replace('header offset = 0', 'header offset = 17')
    with open(out + '.hdr', 'w') as f:
        f.write(hdr)
    os.remove(src)
    os.remove(base + '.img')


def main():
    mode, target = sys.argv[1], sys.argv[2]
    if mode in ('dump', 'gdaldump'):
        import warnings
        warnings.simplefilter('ignore')
        for hdr in sys.argv[2:]:
            print('#', hdr)
            if mode == 'dump':
                a = np.asarray(envi.open(hdr).open_memmap(interleave='bip'))
            else:
                from osgeo import gdal
                gdal.UseExceptions()
                ds = gdal.Open(hdr[:-4] + '.img')
                a = np.stack([ds.GetRasterBand(b + 1).ReadAsArray() for b in range(ds.RasterCount)], axis=-1)
            for x in a.ravel():
                print(fmt(x, a.dtype))
        return
    os.makedirs(target, exist_ok=True)
    os.chdir(target)  # GDAL records the file name in the header's description: keep it relative
    target = '.'
    for i, code in enumerate(TYPES):
        write_values(target, code)
        if mode == 'full':
            for il in INTERLEAVES:
                for bo in (0, 1):
                    spy(target, code, il, bo)
                if code in GDAL_TYPES:
                    gdal_cube(target, code, il)
        else:
            spy(target, code, INTERLEAVES[i % 3], i % 2)
            if code in GDAL_TYPES:
                gdal_cube(target, code, INTERLEAVES[(i + 1) % 3])
    if mode != 'full':
        for il in INTERLEAVES:
            for bo in (0, 1):
                spy(target, 4, il, bo)
    offset_copy(target)
    for f in os.listdir(target):
        if f.endswith('.aux.xml'):
            os.remove(os.path.join(target, f))


if __name__ == '__main__':
    main()
