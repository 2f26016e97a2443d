# R's forecast package on the held-out short histories, for bench:heldout.
#
# For each series of a JSON-lines file (the shape of m3.jsonl: id, frequency, horizon, train, test)
# the training part is cut as bench:planner cuts it (the last 36 months, 12 quarters or 104 weeks)
# and five of R's methods forecast `horizon` points with their defaults: ets(), stlf(), thetaf(),
# snaive() and auto.arima(). The test values are dropped as each line is read, before any fit. Output: one JSON object beside the
# data (<data>.r-forecasts.json unless --out is given) with, per method, each series' forecast;
# a method that errors on a series gets null there and is counted in `failures` (stlf needs more
# than two seasons, so 104-week histories fail it).
#
# Usage: Rscript bench/heldout-r.R --data FILE [--out FILE] [--months 36] [--quarters 12] [--weeks 104]
# Needs: R >= 4.0 with the forecast and jsonlite packages (measured with R 4.2, forecast 8.20).

suppressPackageStartupMessages({
  library(forecast)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
opt <- list(data = "", out = "", months = 36, quarters = 12, weeks = 104)
i <- 1
while (i <= length(args)) {
  key <- sub("^--", "", args[i])
  if (!(key %in% names(opt)) || i == length(args)) stop(sprintf("unknown option or missing value: %s", args[i]))
  opt[[key]] <- if (key %in% c("data", "out")) args[i + 1] else as.integer(args[i + 1])
  i <- i + 2
}
if (opt$data == "") stop("--data FILE is required")
if (opt$out == "") opt$out <- paste0(sub("\\.jsonl$", "", opt$data), ".r-forecasts.json")

lines <- readLines(opt$data, warn = FALSE)
lines <- lines[nzchar(trimws(lines))]
series <- lapply(lines, function(l) {
  s <- fromJSON(l, simplifyVector = TRUE)
  s$test <- NULL
  s
})

keep_for <- function(freq) if (freq == 12) opt$months else if (freq == 52) opt$weeks else opt$quarters

methods <- list(
  ets = function(y, h) forecast(ets(y), h = h)$mean,
  stlf = function(y, h) stlf(y, h = h)$mean,
  thetaf = function(y, h) thetaf(y, h = h)$mean,
  snaive = function(y, h) snaive(y, h = h)$mean,
  auto.arima = function(y, h) forecast(auto.arima(y), h = h)$mean
)

forecasts <- setNames(lapply(names(methods), function(m) list()), names(methods))
failures <- setNames(as.list(rep(0L, length(methods))), names(methods))
cpu <- setNames(as.list(rep(0, length(methods))), names(methods))
ids <- character(0)
for (s in series) {
  if (!(s$frequency %in% c(12, 4, 52))) next
  train <- as.numeric(s$train)
  keep <- keep_for(s$frequency)
  y <- ts(tail(train, keep), frequency = s$frequency)
  ids <- c(ids, s$id)
  for (m in names(methods)) {
    t0 <- proc.time()
    f <- tryCatch(as.numeric(methods[[m]](y, s$horizon)), error = function(e) NULL)
    cpu[[m]] <- cpu[[m]] + sum((proc.time() - t0)[c("user.self", "sys.self")])
    if (is.null(f) || length(f) != s$horizon || any(!is.finite(f))) {
      failures[[m]] <- failures[[m]] + 1L
      forecasts[[m]][[s$id]] <- NA
    } else {
      forecasts[[m]][[s$id]] <- f
    }
  }
}

result <- list(
  data = basename(opt$data),
  # bench:heldout reuses this file only for the same bytes of data (and the same cut).
  data_md5 = unname(tools::md5sum(opt$data)),
  cut = list(months = opt$months, quarters = opt$quarters, weeks = opt$weeks),
  r = paste(R.version$major, R.version$minor, sep = "."),
  forecast = as.character(packageVersion("forecast")),
  ids = ids,
  failures = failures,
  cpu_seconds = cpu,
  forecasts = forecasts
)
tmp <- paste0(opt$out, ".tmp")
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, na = "null", null = "null"), tmp)
invisible(file.rename(tmp, opt$out))
cat(sprintf("R forecasts for %d series written to %s\n", length(ids), opt$out))
