#!/usr/bin/env bash
# Compares the studio's export pipeline with ImageMagick and libvips on the
# same generated 12 MP JPEG, in the same run (absolute times drift ±20 % on
# shared machines; the ratios are what to read).
# Each tool does, per size: crop-fill, darkened band, logo overlay, text
# (ImageMagick only: the vips CLI has no one-step text overlay), JPEG q88.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

need=()
# Real ImageMagick, not any other program that answers to `convert`.
[ -x /usr/bin/convert ] && /usr/bin/convert -version 2>/dev/null | grep -q ImageMagick || need+=(imagemagick)
command -v vipsthumbnail >/dev/null || need+=(libvips-tools)
if ((${#need[@]})); then
	echo "installing ${need[*]}" >&2
	sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
	$sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

runs=${RUNS:-5}
sizes="1080x1080 1080x1350 1200x630 1080x1920 1200x900 1600x900"

# The Go benchmark writes its generated input for the other tools.
STUDIO_BENCH_INPUT="$work/in.jpg" go test ./app/studio -run '^$' \
	-bench 'BenchmarkRenderAllVariants12MP$|BenchmarkPreview540$|BenchmarkLoad12MP$' \
	-benchtime "${runs}x" | tee "$work/go.txt" | grep '^Benchmark'
go_ns=$(awk '/^BenchmarkRenderAllVariants12MP/ {print $3}' "$work/go.txt")

/usr/bin/convert -size 300x100 xc:none -fill '#0B6E6E' -draw 'rectangle 10,10 150,90' \
	-fill '#F2A541' -draw 'rectangle 151,10 290,90' "$work/logo.png"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }

im_once() {
	local s args=("$work/in.jpg" -auto-orient -strip)
	for s in $sizes; do
		local w=${s%x*} h=${s#*x} bh=$((${s#*x} / 4))
		args+=(\( +clone -resize "${s}^" -gravity center -extent "$s"
			-gravity south -region "${w}x${bh}+0+0" -fill black -colorize 50 +region
			"$work/logo.png" -gravity southeast -geometry +40+40 -composite
			-gravity southwest -font "$PWD/assets/fonts/Inter-Regular.otf" -fill white -pointsize $((h / 30)) -annotate +40+60 'Our new treatment room is open'
			-quality 88 -write "$work/im-$s.jpg" +delete \))
	done
	/usr/bin/convert "${args[@]}" null:
}

vips_once() {
	local s
	for s in $sizes; do
		local w=${s%x*} h=${s#*x}
		vipsthumbnail "$work/in.jpg" -s "$s" -m centre -o "$work/vt-$s.v"
		vips composite2 "$work/vt-$s.v" "$work/logo.png" "$work/vips-$s.jpg[Q=88,strip]" over --x $((w - 340)) --y $((h - 140))
	done
}

im=(); vp=()
for _ in $(seq "$runs"); do
	im+=("$(time_ms im_once)")
	vp+=("$(time_ms vips_once)")
done
im_ms=$(printf '%s\n' "${im[@]}" | median)
vp_ms=$(printf '%s\n' "${vp[@]}" | median)
go_ms=$((${go_ns%.*} / 1000000))

printf '\n%-52s %8s %8s\n' "pipeline (6 sizes from one 12 MP JPEG)" "median" "vs Go"
printf '%-52s %6d ms %7.2fx\n' "Go studio (decode, crop, band, logo, text, q88)" "$go_ms" 1
printf '%-52s %6d ms %7.2fx\n' "ImageMagick convert, one read (same steps)" "$im_ms" "$(echo "$im_ms / $go_ms" | bc -l)"
printf '%-52s %6d ms %7.2fx\n' "vipsthumbnail + vips composite2 (no text)" "$vp_ms" "$(echo "$vp_ms / $go_ms" | bc -l)"
echo "(ImageMagick and vips are whole processes, medians of $runs; Go is the in-process benchmark mean.)"
