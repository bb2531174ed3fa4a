#!/usr/bin/env Rscript
# R peer of `erg bench modes` (modes/modesbench): the same mode workloads in base R's
# density() and the diptest package.
#
#   Rscript bench/peers/modes.R silverman=x1.txt dip=x2.txt kde=x3.txt
#
# Each argument names a workload and a file of its sample, one number per line (erg
# writes the very sample it times). Each workload is timed once, after set.seed(1), by
# system.time()'s elapsed seconds; reading the data is not timed.
#   silverman: Silverman's test k=1, B=500: critical bandwidth by bisection with
#              density(n = 1024), then 500 smoothed bootstrap samples checked for more
#              than one mode at h_1 (multimode's cbws without the per-resample bisection).
#   dip:       diptest::dip(x), sorting included.
#   kde:       density(x, bw = 0.1, n = 512) (binned Gaussian kernel estimate).
# Prints one JSON line: {"peer": "R 4.2.2", "ms": {"silverman": ms, ...}, "diptest": "0.76.0"}.

nm <- function(x, h) {
  y <- density(x, bw = h, n = 1024)$y
  d <- diff(y)
  sum(d[-1] < 0 & d[-length(d)] >= 0)
}

workloads <- list(
  silverman = function(x) system.time({
    lo <- bw.nrd0(x); while (nm(x, lo) <= 1) lo <- lo / 2; hi <- 2 * lo; while (nm(x, hi) > 1) hi <- hi * 2
    while (hi - lo > 1e-6 * hi) { m <- (lo + hi) / 2; if (nm(x, m) > 1) lo <- m else hi <- m }
    h <- hi; n <- length(x)
    p <- mean(replicate(500, nm(sample(x, n, TRUE) + rnorm(n, 0, h), h) > 1))
  })[["elapsed"]],
  dip = function(x) system.time(d <- dip(x))[["elapsed"]],
  kde = function(x) system.time(d <- density(x, bw = 0.1, n = 512))[["elapsed"]]
)

args <- commandArgs(trailingOnly = TRUE)
if (length(args) == 0) stop("usage: modes.R name=datafile ...")
ms <- character(0)
info <- character(0)
for (a in args) {
  kv <- strsplit(a, "=", fixed = TRUE)[[1]]
  name <- kv[1]
  path <- paste(kv[-1], collapse = "=")
  if (is.null(workloads[[name]])) stop("unknown workload ", name, " (have ", paste(names(workloads), collapse = ", "), ")")
  if (name == "dip") {
    suppressPackageStartupMessages(library(diptest))
    info <- c(info, sprintf('"diptest": "%s"', as.character(packageVersion("diptest"))))
  }
  x <- scan(path, quiet = TRUE)
  set.seed(1)
  t <- workloads[[name]](x)
  ms <- c(ms, sprintf('"%s": %.17g', name, t * 1000))
}
cat(sprintf('{"peer": "R %s", "ms": {%s}%s}\n', as.character(getRversion()), paste(ms, collapse = ", "),
            paste0(if (length(info)) ", " else "", paste(info, collapse = ", "))))
