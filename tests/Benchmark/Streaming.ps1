<#
.SYNOPSIS
    Merge-Detection -Path streaming files grouped by image against fusing in memory: time and peak working set at
    5000 and 20000 images, the per-detection figures, a projection for an OpenImages-sized ensemble, and the cost of
    the first call in a fresh process.
.DESCRIPTION
    Run through the build script (after Benchmark.ps1): dotnet pwsh ./build.ps1 -Task Benchmark

    1. First call: in -Runs fresh pwsh processes, the first and the second
       'Merge-Detection -Path <sample> -ImageInfo gt.json | Export-Submission' (tests/data/sample), wall and CPU time.
    2. For each size (synthetic ensembles as Benchmark.ps1 makes them, 5 models x up to 100 detections, cached in
       -CacheFolder under the same names): 'Merge-Detection -Path ... -ImageInfo gt.json | Export-Submission' in
       -Runs fresh processes each way: streaming (the default above 1,000,000 detections, files grouped by image;
       smaller sets are held in memory either way) and
       in memory (BOXFUSION_STREAM_THRESHOLD set high). Median wall and CPU seconds, median and largest peak working set.
    3. Checks: both ways write the same bytes; streaming at 20000 images peaks at most 400 MB and takes at most 4.2
       times its 5000-image time. Exits 1 when a check fails.
    4. Projects both ways to 100,000 images x 5 models x 300 detections (150 M detections) from the per-detection
       slope between the two sizes, and writes the tables to <CacheFolder>/results-streaming.md.
    Data sets this script generates above 500 MB are removed at the end unless -KeepData.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(1, 100)] [int] $Runs = 3,
    [int[]] $Sizes = @(5000, 20000),
    [string] $CacheFolder = (Join-Path $PSScriptRoot '../../out/bench'),
    [switch] $KeepData,
    # The synthetic generator, built by build.ps1 -Task Benchmark (tests/BoxFusion.Synthetic).
    [string] $ToolsPath = (Join-Path $PSScriptRoot '../../out/tools')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ProgressPreference = 'SilentlyContinue'
. (Join-Path $PSScriptRoot 'BenchmarkCommon.ps1')
$ModulePath = Resolve-BenchmarkPath $ModulePath
$CacheFolder = Resolve-BenchmarkPath $CacheFolder
$outputFolder = Join-Path $CacheFolder 'output'
$null = New-Item -ItemType Directory $outputFolder -Force
Import-BenchmarkTools $ModulePath (Resolve-BenchmarkPath $ToolsPath) 'BoxFusion.Synthetic.dll'
$sample = (Resolve-Path (Join-Path $PSScriptRoot '../data/sample')).Path
$generated = [System.Collections.Generic.List[string]]::new()
$failed = $false

$pwshCommand = @(Get-PwshCommand)

# Runs a script in a fresh pwsh that has imported the module; the script's last output line must be JSON.
function Invoke-Child([string] $Script) {
    $full = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Import-Module $(ConvertTo-Literal $ModulePath)`n" + $Script
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($full))
    $lines = & $pwshCommand[0] @($pwshCommand | Select-Object -Skip 1) -NoProfile -NonInteractive -EncodedCommand $encoded
    if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed (exit code $LASTEXITCODE):`n$($lines -join "`n")" }
    @($lines | Where-Object { "$_".StartsWith('{') })[-1] | ConvertFrom-Json
}

# The synthetic ensemble Benchmark.ps1 uses (same folder and stamp); a large one generated here is removed at the end.
function Get-Ensemble([int] $Images) {
    $data = Get-CocoEnsemble $CacheFolder $Images
    if ($data.Generated -and $data.Bytes -gt 500MB) { $generated.Add($data.Folder) }
    $data
}

#region 1. The first call in a fresh process
Write-Host "First call in a fresh process ($Runs processes)..." -ForegroundColor Cyan
$firstOut = Join-Path $outputFolder 'first-call.json'
$firstScript = @"
`$files = @($((('cascade', 'detr', 'yolox' | ForEach-Object { ConvertTo-Literal (Join-Path $sample "$_.json") }) -join ', ')))
`$gt = $(ConvertTo-Literal (Join-Path $sample 'gt.json'))
`$p = [System.Diagnostics.Process]::GetCurrentProcess()
`$times = foreach (`$i in 1, 2) {
    `$p.Refresh(); `$cpu0 = `$p.TotalProcessorTime; `$clock = [System.Diagnostics.Stopwatch]::StartNew()
    Merge-Detection -Path `$files -ImageInfo `$gt | Export-Submission $(ConvertTo-Literal $firstOut) -Force
    `$p.Refresh(); `$clock.Elapsed.TotalSeconds; (`$p.TotalProcessorTime - `$cpu0).TotalSeconds
}
@{ FirstSeconds = `$times[0]; FirstCpu = `$times[1]; SecondSeconds = `$times[2]; SecondCpu = `$times[3] } | ConvertTo-Json -Compress
"@
$first = @(for ($r = 0; $r -lt $Runs; $r++) { Invoke-Child $firstScript })
$firstRow = [pscustomobject]@{
    'First s' = Format-Num (Get-Median $first.FirstSeconds) '0.000'; 'First CPU s' = Format-Num (Get-Median $first.FirstCpu) '0.000'
    'Second s' = Format-Num (Get-Median $first.SecondSeconds) '0.000'; 'Second CPU s' = Format-Num (Get-Median $first.SecondCpu) '0.000'
}
$firstRow | Format-Table -AutoSize | Out-String | Write-Host
#endregion

#region 2. Streaming against in memory
# 'Streaming' is the default: it streams above 1,000,000 detections (sizes from about 2100 images); below, it holds them.
$ways = [ordered]@{ Streaming = ''; 'In memory' = '$env:BOXFUSION_STREAM_THRESHOLD = ''1000000000000''; ' }
$measured = @{}
foreach ($size in $Sizes) {
    $data = Get-Ensemble $size
    $bytes = (($data.Files | ForEach-Object { (Get-Item $_).Length }) | Measure-Object -Sum).Sum
    $hashes = @{}
    foreach ($way in $ways.Keys) {
        $out = Join-Path $outputFolder ('streaming-{0}-{1}.json' -f $size, ($way -replace ' ', '-').ToLowerInvariant())
        $script = @"
$($ways[$way])`$files = @($((($data.Files | ForEach-Object { ConvertTo-Literal $_ }) -join ', ')))
[GC]::Collect()
`$p = [System.Diagnostics.Process]::GetCurrentProcess(); `$baseline = `$p.PeakWorkingSet64; `$cpu0 = `$p.TotalProcessorTime
`$clock = [System.Diagnostics.Stopwatch]::StartNew()
Merge-Detection -Path `$files -ImageInfo $(ConvertTo-Literal $data.GroundTruth) | Export-Submission $(ConvertTo-Literal $out) -Force
`$clock.Stop(); `$p.Refresh()
@{ Seconds = `$clock.Elapsed.TotalSeconds; Cpu = (`$p.TotalProcessorTime - `$cpu0).TotalSeconds; PeakMB = `$p.PeakWorkingSet64 / 1MB; BaselineMB = `$baseline / 1MB } | ConvertTo-Json -Compress
"@
        $results = @(for ($r = 0; $r -lt $Runs; $r++) { Invoke-Child $script })
        $hashes[$way] = (Get-FileHash $out -Algorithm SHA256).Hash
        Remove-Item $out
        $measured["$size/$way"] = [pscustomobject]@{
            Images = $size; Way = $way; Detections = $data.Detections; InputMB = $bytes / 1MB
            Seconds = Get-Median $results.Seconds; Cpu = Get-Median $results.Cpu
            PeakMB = Get-Median $results.PeakMB; MaxPeakMB = ($results.PeakMB | Measure-Object -Maximum).Maximum; BaselineMB = Get-Median $results.BaselineMB
        }
        $m = $measured["$size/$way"]
        Write-Host ('  {0,6} images, {1,-9}: {2} s ({3} s CPU), peak {4} MB' -f $size, $way, (Format-Num $m.Seconds '0.00'), (Format-Num $m.Cpu '0.00'), (Format-Num $m.PeakMB '0'))
    }
    if ($hashes['Streaming'] -ne $hashes['In memory']) { Write-Host "  $size images: the two ways wrote DIFFERENT files" -ForegroundColor Red; $failed = $true }
    else { Write-Host "  $size images: both ways wrote the same bytes (SHA256 $($hashes['Streaming']))" -ForegroundColor Green }
}
#endregion

#region 3. Checks and 4. projection
$rows = foreach ($key in $measured.Keys | Sort-Object { $measured[$_].Images }, { $measured[$_].Way }) {
    $m = $measured[$key]
    [pscustomobject]@{
        Images = $m.Images; Way = $m.Way; Detections = $m.Detections; 'JSON MB' = Format-Num $m.InputMB '0'
        Seconds = Format-Num $m.Seconds '0.00'; 'CPU s' = Format-Num $m.Cpu '0.00'
        'Peak MB' = Format-Num $m.PeakMB '0'; 'Max peak MB' = Format-Num $m.MaxPeakMB '0'
        'us/det' = Format-Num ($m.Seconds / $m.Detections * 1e6) '0.00'
    }
}
$checks = @()
$projection = @()
$small, $large = ($Sizes | Sort-Object)[0], ($Sizes | Sort-Object)[-1]
if ($small -ne $large) {
    $s0 = $measured["$small/Streaming"]; $s1 = $measured["$large/Streaming"]
    $ratio = $s1.Seconds / $s0.Seconds
    $checks += [pscustomobject]@{ Check = "streaming $large images: peak <= 400 MB"; Measured = "$(Format-Num $s1.MaxPeakMB '0') MB"; OK = $s1.MaxPeakMB -le 400 }
    $checks += [pscustomobject]@{ Check = "streaming $large images: time <= 4.2 x $small images"; Measured = "$(Format-Num $ratio '0.00') x ($(Format-Num ($s1.Detections / $s0.Detections) '0.00') x the detections; CPU $(Format-Num ($s1.Cpu / $s0.Cpu) '0.00') x)"; OK = $ratio -le 4.2 }
    # From the slope between the two sizes: what each further detection costs in time and in peak memory.
    $target = 100000L * 5 * 300
    foreach ($way in $ways.Keys) {
        $a = $measured["$small/$way"]; $b = $measured["$large/$way"]
        $dn = [double]($b.Detections - $a.Detections)
        $perSecond = ($b.Seconds - $a.Seconds) / $dn
        $perCpu = ($b.Cpu - $a.Cpu) / $dn
        $perByte = [Math]::Max(0, ($b.PeakMB - $a.PeakMB) * 1MB / $dn)
        $projection += [pscustomobject]@{
            Way = $way
            'us/det (wall)' = Format-Num ($perSecond * 1e6) '0.00'; 'us/det (CPU)' = Format-Num ($perCpu * 1e6) '0.00'
            'bytes/det (peak)' = Format-Num $perByte '0'
            '150 M det: minutes' = Format-Num (($b.Seconds + $perSecond * ($target - $b.Detections)) / 60) '0.0'
            '150 M det: peak GB' = Format-Num (($b.PeakMB * 1MB + $perByte * ($target - $b.Detections)) / 1GB) '0.0'
        }
    }
    $jsonGB = $s1.InputMB * 1MB / $s1.Detections * $target / 1GB
}
Write-Host ''
$rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
$checks | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
if ($projection) {
    Write-Host "Projection for 100,000 images x 5 models x 300 detections (150 M detections, about $(Format-Num $jsonGB '0') GB of JSON), from the slope between $small and $large images (100 detections per image and model; 300 make each image's fusion dearer, so take the times as a floor):" -ForegroundColor Cyan
    $projection | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
}
foreach ($c in $checks) { if (-not $c.OK) { $failed = $true } }

$md = "## Streaming against in memory`n`n$([Environment]::ProcessorCount) cores, $(Get-Date -Format 'yyyy-MM-dd'), median of $Runs fresh processes each.`n`n" +
    "First call in a fresh process (sample, Merge -Path | Export):`n`n$(ConvertTo-MarkdownTable @($firstRow))`n`n$(ConvertTo-MarkdownTable @($rows))`n`n"
if ($checks) { $md += "$(ConvertTo-MarkdownTable $checks)`n`n" }
if ($projection) { $md += "Projection for 150 M detections (about $(Format-Num $jsonGB '0') GB of JSON; from 100 detections per image and model, so the times are a floor):`n`n$(ConvertTo-MarkdownTable $projection)`n" }
Set-Content -Path (Join-Path $CacheFolder 'results-streaming.md') -Value $md -Encoding utf8NoBOM
Write-Host "Wrote $(Join-Path $CacheFolder 'results-streaming.md')"
#endregion

if (-not $KeepData) {
    foreach ($dir in $generated) { Remove-Item $dir -Recurse -Force; Write-Host "Removed $dir (-KeepData keeps it)." }
}
if ($failed) { exit 1 }
exit 0
