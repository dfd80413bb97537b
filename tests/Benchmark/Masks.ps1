<#
.SYNOPSIS
    Times instance-segmentation work on a synthetic segm ensemble: reading masks, WBF mask fusion, segm
    evaluation, and the memory a mask costs; then the cmdlet pipelines in fresh processes.
.DESCRIPTION
    Run through the build script (after the other benchmarks):
        dotnet pwsh ./build.ps1 -Task Benchmark
    or alone, after that has built out/BoxFusion and out/tools:
        dotnet pwsh tests/Benchmark/Masks.ps1 -ModulePath out/BoxFusion

    1. Generates (once; cached in -CacheFolder) [BoxFusion.Synthetic.EnsembleGenerator]::Write with Masks:
       -Images images of at most 640x480, 3 models, 80 classes, 100 detections per image and model, each with
       a compressed-RLE mask; ground truth polygons and crowd regions as uncompressed RLE.
    2. The engine, median of -Runs runs (compiled loops, tests/BoxFusion.Benchmarks/MaskStages.cs, so the numbers are the engine's):
       read the 3 files into a DetectionEnsemble (masks/s); WBF with image sizes (input masks/s); segm
       evaluation of the fused result against the ground truth; and the heap a masked ensemble holds beyond
       the run lengths, per mask, measured with forced collections.
    3. The cmdlets in fresh pwsh processes (time inside the process, and its peak working set):
       Merge-Detection -Path ... -ImageInfo | Export-Submission, and Measure-Detection -IouType Segm -Path.
    Prints a table and appends it as markdown to <CacheFolder>/results.md.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(1, 100000)] [int] $Images = 1000,
    [ValidateRange(1, 20)] [int] $Runs = 3,
    [string] $CacheFolder = (Join-Path $PSScriptRoot '../../out/bench'),
    [string] $ToolsPath = (Join-Path $PSScriptRoot '../../out/tools')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ProgressPreference = 'SilentlyContinue'
. (Join-Path $PSScriptRoot 'BenchmarkCommon.ps1')
$ModulePath = Resolve-BenchmarkPath $ModulePath
$CacheFolder = Resolve-BenchmarkPath $CacheFolder
$ToolsPath = Resolve-BenchmarkPath $ToolsPath
$null = New-Item -ItemType Directory (Join-Path $CacheFolder 'output') -Force
Import-BenchmarkTools $ModulePath $ToolsPath 'BoxFusion.Synthetic.dll', 'BoxFusion.Benchmarks.dll'

# Median wall and process CPU seconds of $Runs runs after one warm-up run (a full collection before each,
# outside the clock), and the last result. CPU time tells a stage's own work from waiting for a core on a
# shared machine.
function Measure-Stage([scriptblock] $Action) {
    $times = [System.Collections.Generic.List[double]]::new()
    $cpu = [System.Collections.Generic.List[double]]::new()
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $result = & $Action
    for ($r = 0; $r -lt $Runs; $r++) {
        $result = $null
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $process.Refresh()
        $cpu0 = $process.TotalProcessorTime
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $result = & $Action
        $times.Add($clock.Elapsed.TotalSeconds)
        $process.Refresh()
        $cpu.Add(($process.TotalProcessorTime - $cpu0).TotalSeconds)
    }
    [pscustomobject]@{ Seconds = Get-Median $times; Cpu = Get-Median $cpu; Result = $result }
}

# 1. The data set.
$dir = Join-Path $CacheFolder "segm-i$Images-m3-c80-s1-d100"
$stamp = Join-Path $dir 'complete.stamp'
if (-not (Test-Path $stamp)) {
    Write-Host "Generating the segm ensemble ($Images images x 3 models, masks)..." -ForegroundColor Cyan
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $options = [BoxFusion.Synthetic.SyntheticOptions]@{ Images = $Images; Models = 3; Classes = 80; Seed = 1; MaxDetectionsPerImage = 100; Masks = $true }
    $null = [BoxFusion.Synthetic.EnsembleGenerator]::Write($dir, $options)
    Set-Content $stamp ('generated in {0:0.0} s' -f $clock.Elapsed.TotalSeconds)
}
$gtPath = Join-Path $dir 'gt.json'
$paths = [string[]](1..3 | ForEach-Object { Join-Path $dir "model$_.json" })
$models = [string[]](1..3 | ForEach-Object { "model$_" })
$megabytes = (($paths | ForEach-Object { (Get-Item $_).Length }) | Measure-Object -Sum).Sum / 1MB

# 2. The engine.
$rows = [System.Collections.Generic.List[object]]::new()
$read = Measure-Stage { [BoxFusion.Benchmarks.MaskStages]::Read($paths, $models) }
$ensemble = $read.Result
$masks = $ensemble.MaskCount
$rows.Add([pscustomobject]@{ Stage = ('read {0} masks ({1:0} MB, 3 files, one thread)' -f $masks, $megabytes); Seconds = $read.Seconds; Cpu = $read.Cpu; Rate = '{0:0} k masks/s' -f ($masks / $read.Seconds / 1e3); Target = '>= 200 k/s' })

$gtMasks = [BoxFusion.Coco.CocoGroundTruth]::Load($gtPath, $true)
$sizes = [BoxFusion.Benchmarks.MaskStages]::Sizes($gtMasks, $ensemble)
$fuse = Measure-Stage { , [BoxFusion.Benchmarks.MaskStages]::Fuse($ensemble, $sizes) }
$fused = $fuse.Result
$rows.Add([pscustomobject]@{ Stage = ('WBF with mask fusion: {0} masks in, {1} out' -f $masks, $fused.Count); Seconds = $fuse.Seconds; Cpu = $fuse.Cpu; Rate = '{0:0} k masks/s' -f ($masks / $fuse.Seconds / 1e3); Target = '>= 100 k/s' })

$writePath = Join-Path $CacheFolder 'output/segm-engine-wbf.json'
$write = Measure-Stage { [BoxFusion.Benchmarks.MaskStages]::Write($fused, $writePath) }
$rows.Add([pscustomobject]@{ Stage = ('write the fused result ({0} masks, {1:0} MB, compressed RLE)' -f $fused.Count, ($write.Result / 1MB)); Seconds = $write.Seconds; Cpu = $write.Cpu; Rate = '{0:0} k masks/s' -f ($fused.Count / $write.Seconds / 1e3); Target = '' })

$boxOnly = [BoxFusion.Benchmarks.MaskStages]::WithoutMasks($ensemble)
$boxFuse = Measure-Stage { [BoxFusion.Benchmarks.MaskStages]::Fuse($boxOnly, $sizes) }
$rows.Add([pscustomobject]@{ Stage = 'WBF, same boxes without masks (for comparison)'; Seconds = $boxFuse.Seconds; Cpu = $boxFuse.Cpu; Rate = '{0:0} k boxes/s' -f ($masks / $boxFuse.Seconds / 1e3); Target = '' })

$load = Measure-Stage { [BoxFusion.Coco.CocoGroundTruth]::Load($gtPath, $true) }
$rows.Add([pscustomobject]@{ Stage = ('load gt.json with its {0} annotations'' masks' -f $gtMasks.Annotations.Count); Seconds = $load.Seconds; Cpu = $load.Cpu; Rate = ''; Target = '' })
# The first evaluation rasterises the ground truth's polygons (cached on the loaded ground truth); a fresh load each run.
$evalFresh = Measure-Stage { [BoxFusion.Benchmarks.MaskStages]::Evaluate([BoxFusion.Coco.CocoGroundTruth]::Load($gtPath, $true), $fused) }
$rows.Add([pscustomobject]@{ Stage = ('segm evaluation of {0} fused masks, ground truth loaded and rasterised each time' -f $fused.Count); Seconds = $evalFresh.Seconds; Cpu = $evalFresh.Cpu; Rate = '{0:0} k masks/s' -f ($fused.Count / $evalFresh.Seconds / 1e3); Target = '10x pycocotools' })
$eval = Measure-Stage { [BoxFusion.Benchmarks.MaskStages]::Evaluate($gtMasks, $fused) }
$rows.Add([pscustomobject]@{ Stage = 'segm evaluation again (ground truth already rasterised: Optimize-Fusion trials)'; Seconds = $eval.Seconds; Cpu = $eval.Cpu; Rate = '{0:0} k masks/s' -f ($fused.Count / $eval.Seconds / 1e3); Target = '' })

# Memory: the heap a freshly read ensemble holds, with and without its masks, beyond the run lengths.
$fuse = $read = $boxFuse = $write = $fused = $ensemble = $boxOnly = $null
$heap = [BoxFusion.Benchmarks.MaskStages]::Heap($paths, $models)
$perMask = ($heap.WithMasks - $heap.WithoutMasks - $heap.RunBytes) / $heap.Masks
$rows.Add([pscustomobject]@{ Stage = ('heap per mask beyond its run lengths ({0:0.0} MB of runs; ensemble {1:0.0} MB with masks, {2:0.0} MB without)' -f ($heap.RunBytes / 1MB), ($heap.WithMasks / 1MB), ($heap.WithoutMasks / 1MB)); Seconds = ''; Cpu = ''; Rate = '{0:0} bytes' -f $perMask; Target = '< 100 bytes' })

# 3. The cmdlets, each in a fresh process.
$fusedPath = Join-Path $CacheFolder 'output/segm-wbf.json'
$list = ($paths | ForEach-Object { "'$_'" }) -join ','
$merge = Invoke-Fresh $ModulePath "Merge-Detection -Path $list -ImageInfo '$gtPath' | Export-Submission '$fusedPath' -Force"
$rows.Add([pscustomobject]@{ Stage = "cmdlets: Merge-Detection -Path (3 files) -ImageInfo | Export-Submission (peak $($merge.PeakMB) MB)"; Seconds = $merge.Seconds; Cpu = $merge.Cpu; Rate = '{0:0} k masks/s' -f ($masks / $merge.Seconds / 1e3); Target = '' })
$measure = Invoke-Fresh $ModulePath "`$null = Measure-Detection -IouType Segm -GroundTruth '$gtPath' -Path '$fusedPath'"
$rows.Add([pscustomobject]@{ Stage = "cmdlets: Measure-Detection -IouType Segm -Path (read gt and results, evaluate; peak $($measure.PeakMB) MB)"; Seconds = $measure.Seconds; Cpu = $measure.Cpu; Rate = ''; Target = '' })

foreach ($row in $rows) {
    if ($row.Seconds -is [double]) { $row.Seconds = [math]::Round($row.Seconds, 3) }
    if ($row.Cpu -is [double]) { $row.Cpu = [math]::Round($row.Cpu, 3) }
}
$table = $rows | Format-Table -AutoSize -Wrap | Out-String -Width 220
Write-Host $table
$md = "`n### Masks ($Images images x 3 models, $masks masks, $([Environment]::ProcessorCount) cores)`n`n| Stage | Seconds | CPU s | Rate | Target |`n|---|---|---|---|---|`n" +
    (($rows | ForEach-Object { "| $($_.Stage) | $($_.Seconds) | $($_.Cpu) | $($_.Rate) | $($_.Target) |" }) -join "`n") + "`n"
Add-Content (Join-Path $CacheFolder 'results.md') $md
