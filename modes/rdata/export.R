# Exports the real data sets of erg's mode case studies as CSV files into the directory
# given as the first argument. Needs Debian r-base-core r-cran-mass r-cran-mclust
# r-cran-locfit. Called by scripts/modes/export-rdata.sh and by erg (package modes/rdata).
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "."
dir.create(dir, showWarnings = FALSE, recursive = TRUE)
need <- c("MASS", "mclust", "locfit")
miss <- need[!vapply(need, requireNamespace, logical(1), quietly = TRUE)]
if (length(miss)) stop("missing R packages: ", paste(miss, collapse = " "),
                       " (Debian: r-cran-mass r-cran-mclust r-cran-locfit)")
w <- function(df, name) {
  tmp <- file.path(dir, paste0(".", name, ".tmp"))
  write.csv(df, tmp, row.names = FALSE)
  invisible(file.rename(tmp, file.path(dir, name)))
}
w(data.frame(velocity = MASS::galaxies), "galaxies.csv")
w(data.frame(eruptions = datasets::faithful$eruptions, waiting = datasets::faithful$waiting), "faithful.csv")
w(data.frame(waiting = MASS::geyser$waiting, duration = MASS::geyser$duration), "geyser.csv")
e <- new.env(); data("acidity", package = "mclust", envir = e)
w(data.frame(acidity = as.numeric(e$acidity)), "acidity.csv")
e <- new.env(); data("stamp", package = "locfit", envir = e)
w(data.frame(thickness = rep(e$stamp$thick, e$stamp$count)), "stamps.csv")
cat("wrote galaxies.csv faithful.csv geyser.csv acidity.csv stamps.csv to", normalizePath(dir), "\n")
