# Golden files for the modes packages, made with R's stats (density, bw.nrd0, bw.nrd,
# bw.SJ) and diptest (dip, dip.test). Regenerate from the repository root with
#
#   Rscript scripts/modes/golden.R
#
# (Debian: r-base-core r-cran-diptest). Writes
#   modes/kde/testdata/samples.csv     name,value   (the samples used below)
#   modes/kde/testdata/bandwidths.csv  name,n,nrd0,nrd,sj,sj_exact
#   modes/kde/testdata/density.csv     name,bw,n,i,x,y   (density(x, bw, n=...))
#   modes/dip/testdata/samples.csv     name,value
#   modes/dip/testdata/dip.csv         name,n,dip,p_table,lo,hi
suppressPackageStartupMessages(library(diptest))
f17 <- function(v) sprintf("%.17g", v)

set.seed(20240601)
s <- list(
  norm50   = rnorm(50),
  mix200   = c(rnorm(120, -1.5, 0.6), rnorm(80, 1.5, 0.5)),
  eruptions = datasets::faithful$eruptions,
  unif1000 = runif(1000, -3, 7),
  claw400  = { u <- runif(400); ifelse(u < 0.5, rnorm(400), rnorm(400, sample(-2:2, 400, TRUE)/2, 0.1)) },
  exp30    = rexp(30, 2) + 10
)
write.table(do.call(rbind, lapply(names(s), function(nm) data.frame(name = nm, value = f17(s[[nm]])))),
            "modes/kde/testdata/samples.csv", sep = ",", quote = FALSE, row.names = FALSE)
bw <- do.call(rbind, lapply(names(s), function(nm) {
  x <- s[[nm]]
  data.frame(name = nm, n = length(x), nrd0 = f17(bw.nrd0(x)), nrd = f17(bw.nrd(x)),
             sj = f17(bw.SJ(x)), sj_exact = f17(bw.SJ(x, tol = 1e-12)))
}))
write.table(bw, "modes/kde/testdata/bandwidths.csv", sep = ",", quote = FALSE, row.names = FALSE)
den <- do.call(rbind, lapply(list(list("norm50", 0.35, 512), list("mix200", 0.2, 1024),
                                  list("eruptions", 0.1, 300), list("unif1000", 0.5, 2000)),
  function(a) {
    d <- density(s[[a[[1]]]], bw = a[[2]], n = a[[3]])
    data.frame(name = a[[1]], bw = a[[2]], n = a[[3]], i = seq_along(d$x), x = f17(d$x), y = f17(d$y))
  }))
write.table(den, "modes/kde/testdata/density.csv", sep = ",", quote = FALSE, row.names = FALSE)

set.seed(7)
d <- list(
  n4 = c(1, 2, 5, 6), n5 = c(0.3, 1.2, 1.25, 4, 9), ex6 = c(1, 2, 5, 6, 7, 20),
  ties = round(rnorm(60), 1), norm100 = rnorm(100), bimod300 = c(rnorm(150), rnorm(150, 3)),
  unif1000 = runif(1000), eruptions = datasets::faithful$eruptions,
  waiting = datasets::faithful$waiting, tri500 = c(rnorm(200), rnorm(150, 4, 0.7), rnorm(150, 8, 1.2)),
  statfac = { data(statfaculty, package = "diptest"); statfaculty }
)
write.table(do.call(rbind, lapply(names(d), function(nm) data.frame(name = nm, value = f17(d[[nm]])))),
            "modes/dip/testdata/samples.csv", sep = ",", quote = FALSE, row.names = FALSE)
dt <- do.call(rbind, lapply(names(d), function(nm) {
  x <- d[[nm]]
  r <- dip(x, full.result = TRUE)
  data.frame(name = nm, n = length(x), dip = f17(r$dip), p_table = f17(dip.test(x)$p.value),
             lo = r$lo.hi[1], hi = r$lo.hi[2])
}))
write.table(dt, "modes/dip/testdata/dip.csv", sep = ",", quote = FALSE, row.names = FALSE)
