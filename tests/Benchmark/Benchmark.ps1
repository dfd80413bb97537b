<#
.SYNOPSIS
    Times BoxFusion on a COCO-sized synthetic ensemble: the engine alone, the cmdlet pipelines as a
    user runs them, and PowerShell's own per-object pipeline cost, so the two shares can be told apart.
.DESCRIPTION
    Run it through the build script, which builds the module and out/tools (the compiled helpers) first:
        dotnet pwsh ./build.ps1 -Task Benchmark [-Images 5000] [-Scaling]

    1. Generates (once; cached in -CacheFolder) a synthetic ensemble with
       [BoxFusion.Synthetic.EnsembleGenerator]::Write: gt.json and 5 models' results files,
       80 classes, 100 detections per image and model (5000 images: ~2.4 M detections, ~240 MB).
    2. Times each stage, median of -Runs runs:
       a. the engine alone, called through the loaded assemblies (loops in compiled C#,
          tests/BoxFusion.Benchmarks/EngineStages.cs, so the numbers are the engine's, not PowerShell's):
          read the 5 files into a DetectionEnsemble (on this thread, and in parallel as the
          cmdlets read), load the image sizes of gt.json, FuseAll with WBF, NMS, SoftNMS and NMW, write the
          WBF result with CocoResultWriter;
       b. the cmdlet pipelines, each run in its own fresh pwsh process (time and peak working set are
          read inside that process, around the pipeline only: start-up and Import-Module are excluded;
          the two WBF pipelines then run once more in the same process, to tell the one-off cost of a
          fresh process from the steady one);
       c. PowerShell's own cost of one pipeline step, with two no-op compiled cmdlets (region (c);
          tests/BoxFusion.Benchmarks/PipelineProbe.cs).
       Each row also has the process CPU time and GC pause time: the machine may be shared, and CPU
       time tells a stage's own work from waiting for a core.
    3. Prints the table, and a breakdown of the two WBF pipelines into fresh-process cost, engine,
       fsync, PowerShell's steps and the rest; writes both as markdown to <CacheFolder>/results.md.
    4. Checks that Merge-Detection's WBF output is byte-identical with -ThrottleLimit 1 and with all
       cores; exits 1 when it is not.
    5. -Scaling: the WBF engine fusion and WBF cmdlet pipelines for 500, 5000 and 20000 images.
#>
[CmdletBinding()]
param(
    # The built module folder (out/BoxFusion).
    [Parameter(Mandatory)] [string] $ModulePath,
    # Images in the main data set.
    [ValidateRange(1, 1000000)] [int] $Images = 5000,
    # Also run the scaling series (500, 5000, 20000 images).
    [switch] $Scaling,
    # Runs per stage; the median is reported.
    [ValidateRange(1, 100)] [int] $Runs = 3,
    # Where the generated data, the outputs and results.md go.
    [string] $CacheFolder = (Join-Path $PSScriptRoot '../../out/bench'),
    # The built benchmark helpers and synthetic generator (tests/BoxFusion.Benchmarks, built by build.ps1 to out/tools).
    [string] $ToolsPath = (Join-Path $PSScriptRoot '../../out/tools')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ProgressPreference = 'SilentlyContinue'
. (Join-Path $PSScriptRoot 'BenchmarkCommon.ps1')
$ModulePath = Resolve-BenchmarkPath $ModulePath
$CacheFolder = Resolve-BenchmarkPath $CacheFolder
$ToolsPath = Resolve-BenchmarkPath $ToolsPath
$null = New-Item -ItemType Directory $CacheFolder -Force
$outputFolder = Join-Path $CacheFolder 'output'
$null = New-Item -ItemType Directory $outputFolder -Force
$benchClock = [System.Diagnostics.Stopwatch]::StartNew()

#region Compiled helpers: the engine's tight loops and two no-op cmdlets for the pipeline-step probe
# tests/BoxFusion.Benchmarks (EngineStages, PipelineProbe.cs) and the generator, built to -ToolsPath by build.ps1.
# Loaded after the module, so they bind to the engine it loaded.
Import-BenchmarkTools $ModulePath $ToolsPath 'BoxFusion.Synthetic.dll', 'BoxFusion.Benchmarks.dll'
#endregion

#region Small helpers
function Invoke-Collect {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
}

# Runs $Action -Runs times (full GC before each run, outside the clock). Returns the medians of wall
# seconds, process CPU seconds (all threads: tells a stage's own work from waiting for a core when
# other processes compete) and GC pause seconds, all wall times, and the last run's result.
# $Action gets the stopwatch as $args[0] and may stop it early (to leave out an fsync).
function Measure-Stage([scriptblock] $Action, [int] $Count = $Runs) {
    $wall = [System.Collections.Generic.List[double]]::new()
    $cpu = [System.Collections.Generic.List[double]]::new()
    $gc = [System.Collections.Generic.List[double]]::new()
    $result = $null
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    for ($r = 0; $r -lt $Count; $r++) {
        $result = $null
        Invoke-Collect
        $process.Refresh()
        $cpu0 = $process.TotalProcessorTime
        $gc0 = [GC]::GetTotalPauseDuration()
        $clock = [System.Diagnostics.Stopwatch]::new()
        $clock.Start()
        $result = & $Action $clock
        $clock.Stop()
        $process.Refresh()
        $wall.Add($clock.Elapsed.TotalSeconds)
        $cpu.Add(($process.TotalProcessorTime - $cpu0).TotalSeconds)
        $gc.Add(([GC]::GetTotalPauseDuration() - $gc0).TotalSeconds)
    }
    [pscustomobject]@{
        Seconds = Get-Median $wall.ToArray(); MinSeconds = ($wall | Measure-Object -Minimum).Minimum
        CpuSeconds = Get-Median $cpu.ToArray(); GcPauseSeconds = Get-Median $gc.ToArray()
        Times = $wall.ToArray(); Result = $result
    }
}

function Get-LoadAverage {
    if (Test-Path /proc/loadavg) { return ((Get-Content /proc/loadavg -Raw) -split ' ')[0..2] -join ' ' }
    return 'n/a'
}

$pwshCommand = Get-PwshCommand

# Runs one cmdlet pipeline in a fresh pwsh: imports the module, then times the pipeline alone and
# reads the process's peak working set at the end. The child prints one JSON line.
# With -Warm the child then runs the pipeline a second time (after a full GC) and reports that time
# too: the difference is what a fresh process pays once (JIT, first use of PowerShell's binder).
function Invoke-ChildPipeline([string] $Pipeline, [string[]] $Files, [string] $GroundTruth, [string] $Output, [switch] $Warm) {
    $script = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'  # no console to draw on; the cmdlets throttle progress (every 16K records, 250 ms), so its cost is nil
Import-Module $(ConvertTo-Literal $ModulePath)
`$files = @($((($Files | ForEach-Object { ConvertTo-Literal $_ }) -join ', ')))
`$gt = $(ConvertTo-Literal $GroundTruth)
`$out = $(ConvertTo-Literal $Output)
[GC]::Collect()
`$process = [System.Diagnostics.Process]::GetCurrentProcess()
`$baseline = `$process.PeakWorkingSet64
`$cpu0 = `$process.TotalProcessorTime
`$gc0 = [GC]::GetTotalPauseDuration()
`$gen2 = [GC]::CollectionCount(2)
`$clock = [System.Diagnostics.Stopwatch]::StartNew()
$Pipeline
`$clock.Stop()
`$process.Refresh()
`$result = [ordered]@{
    Seconds = `$clock.Elapsed.TotalSeconds; CpuSeconds = (`$process.TotalProcessorTime - `$cpu0).TotalSeconds
    GcPauseSeconds = ([GC]::GetTotalPauseDuration() - `$gc0).TotalSeconds; Gen2 = [GC]::CollectionCount(2) - `$gen2
    PeakBytes = `$process.PeakWorkingSet64; BaselinePeakBytes = `$baseline; WarmSeconds = `$null
}
if (`$$($Warm.IsPresent)) {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    `$clock.Restart()
    $Pipeline
    `$result.WarmSeconds = `$clock.Elapsed.TotalSeconds
}
`$result | ConvertTo-Json -Compress
"@
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($script))
    $lines = & $pwshCommand[0] @($pwshCommand | Select-Object -Skip 1) -NoProfile -NonInteractive -EncodedCommand $encoded
    if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed (exit code $LASTEXITCODE) running: $Pipeline" }
    $json = @($lines | Where-Object { "$_".StartsWith('{') }) | Select-Object -Last 1
    if (-not $json) { throw "The child pwsh printed no result for: $Pipeline`n$($lines -join "`n")" }
    $json | ConvertFrom-Json
}

# -Runs fresh processes; median seconds, median and largest peak.
function Measure-ChildPipeline([string] $Pipeline, [string[]] $Files, [string] $GroundTruth, [string] $Output, [int] $Count = $Runs, [switch] $Warm) {
    $results = @(for ($r = 0; $r -lt $Count; $r++) { Invoke-ChildPipeline $Pipeline $Files $GroundTruth $Output -Warm:$Warm })
    [pscustomobject]@{
        Seconds    = Get-Median ($results | ForEach-Object { [double]$_.Seconds })
        CpuSeconds = Get-Median ($results | ForEach-Object { [double]$_.CpuSeconds })
        GcPauseSeconds = Get-Median ($results | ForEach-Object { [double]$_.GcPauseSeconds })
        Gen2       = Get-Median ($results | ForEach-Object { [double]$_.Gen2 })
        Times      = [double[]]@($results | ForEach-Object { [double]$_.Seconds })
        MinSeconds = ($results | ForEach-Object { [double]$_.Seconds } | Measure-Object -Minimum).Minimum
        WarmSeconds = if ($Warm) { Get-Median ($results | ForEach-Object { [double]$_.WarmSeconds }) } else { $null }
        PeakMB     = Get-Median ($results | ForEach-Object { [double]$_.PeakBytes / 1MB })
        MaxPeakMB  = ($results | ForEach-Object { [double]$_.PeakBytes / 1MB } | Measure-Object -Maximum).Maximum
        BaselineMB = Get-Median ($results | ForEach-Object { [double]$_.BaselinePeakBytes / 1MB })
    }
}

# Generates the ensemble once per option set; a stamp file written last marks a complete set.
function Get-Ensemble([int] $ImageCount) { Get-CocoEnsemble $CacheFolder $ImageCount }

$pipelines = [ordered]@{
    'Import | Merge WBF | Export'     = 'Import-Detection $files | Merge-Detection -Method WBF -ImageInfo $gt | Export-Submission $out -Force'
    'Import | Merge NMS | Export'     = 'Import-Detection $files | Merge-Detection -Method NMS -ImageInfo $gt | Export-Submission $out -Force'
    'Import | Merge SoftNMS | Export' = 'Import-Detection $files | Merge-Detection -Method SoftNMS -ImageInfo $gt | Export-Submission $out -Force'
    'Import | Merge NMW | Export'     = 'Import-Detection $files | Merge-Detection -Method NMW -ImageInfo $gt | Export-Submission $out -Force'
    'Merge -Path | Export (WBF)'      = 'Merge-Detection -Path $files -ImageInfo $gt | Export-Submission $out -Force'
}
$methods = 'WBF', 'NMS', 'SoftNMS', 'NMW'

# Engine stages on one data set: read, image sizes, fuse (the given methods), write WBF.
function Measure-Engine($data, [string[]] $FuseMethods, [switch] $WriteResult, [switch] $ParallelRead) {
    $r = [ordered]@{}
    $read = Measure-Stage { [BoxFusion.Benchmarks.EngineStages]::Read($data.Files, $data.Models) }
    $ensemble = $read.Result
    $read.Result = $null
    if ($ensemble.DetectionCount -ne $data.Detections) { throw "Read $($ensemble.DetectionCount) detections; the generator wrote $($data.Detections)." }
    $r.Read = $read
    if ($ParallelRead) {
        $r.ReadParallel = Measure-Stage { [BoxFusion.Benchmarks.EngineStages]::ReadInParallel($data.Files, $data.Models, 0) }
        $r.ReadParallel.Result = $null
    }
    $info = Measure-Stage { [BoxFusion.Coco.CocoGroundTruth]::LoadImagesOnly($data.GroundTruth) }
    $sizes = [BoxFusion.Benchmarks.EngineStages]::Sizes($info.Result, $ensemble)
    if ($sizes.Unknown -gt 0) { throw "$($sizes.Unknown) images are not in gt.json." }
    $info.Result = $null
    $r.ImageInfo = $info
    $r.Fuse = [ordered]@{}
    foreach ($method in $FuseMethods) {
        $context = [BoxFusion.Benchmarks.EngineStages]::Context($ensemble, $method, 0)
        # The unary comma keeps the Detection[][] whole (PowerShell would unroll it into the output).
        $fuse = Measure-Stage { , [BoxFusion.Benchmarks.EngineStages]::Fuse($ensemble, $context, $sizes) }
        $fused = $fuse.Result
        $fuse.Result = $null
        $fuse | Add-Member Output ([BoxFusion.Benchmarks.EngineStages]::Count($fused))
        $r.Fuse[$method] = $fuse
        if ($method -eq 'WBF' -and $WriteResult) {
            # Written right away, so the other methods' fusion doesn't run with this result in the heap.
            $path = Join-Path $outputFolder "engine-wbf-$($data.Images).json"
            $fsync = [System.Collections.Generic.List[double]]::new()
            $writeStage = Measure-Stage { [BoxFusion.Benchmarks.EngineStages]::Write($fused, $path, $args[0]); $fsync.Add([BoxFusion.Benchmarks.EngineStages]::LastFsyncSeconds) }
            $writeStage | Add-Member Output $writeStage.Result
            $writeStage | Add-Member FsyncSeconds (Get-Median $fsync.ToArray())
            $writeStage | Add-Member Path $path
            $r.Write = $writeStage
            # The same with -Decimals 2: pixel coordinates to a hundredth of a pixel, scores to 0.01 (the help's advice
            # for boxes; a typical choice for a smaller submission).
            $roundedPath = Join-Path $outputFolder "engine-wbf-$($data.Images)-decimals2.json"
            $rounded = Measure-Stage { [BoxFusion.Benchmarks.EngineStages]::Write($fused, $roundedPath, $args[0], 2) }
            $rounded | Add-Member Output $rounded.Result
            $rounded | Add-Member Bytes (Get-Item $roundedPath).Length
            $r.WriteDecimals = $rounded
            Remove-Item $roundedPath
        }
        $fused = $null
    }
    $r.Ensemble = $ensemble
    [pscustomobject]$r
}
#endregion

$cores = [Environment]::ProcessorCount
Write-Host ("BoxFusion benchmark: {0} images, {1} run(s) per stage (median), {2} cores, PowerShell {3}, .NET {4}, {5}" -f
    $Images, $Runs, $cores, $PSVersionTable.PSVersion, [Environment]::Version, [System.Runtime.InteropServices.RuntimeInformation]::OSDescription) -ForegroundColor Cyan
$loadStart = Get-LoadAverage
Write-Host "Load average (1, 5, 15 min) at start: $loadStart; other processes competing for the $cores cores stretch wall times (compare the CPU s column)."
$data = Get-Ensemble $Images
$n = $data.Detections

#region (a) the engine alone
Write-Host 'Engine stages (in this process, loops in compiled C#)...' -ForegroundColor Cyan
$managedBefore = [GC]::GetTotalMemory($true)
$engine = Measure-Engine $data -FuseMethods $methods -WriteResult -ParallelRead
$ensembleMB = ([GC]::GetTotalMemory($true) - $managedBefore) / 1MB
$wbfCount = $engine.Fuse['WBF'].Output
#endregion

#region (c) PowerShell's share: one pipeline step
# What PowerShell itself costs per object and step is measured with two no-op compiled cmdlets:
#     Send-BenchDetection $all | Receive-BenchDetection
#     Send-BenchDetection $all -Batch <fused per image> | Receive-BenchDetection
# Send writes each of the N pre-built Detection objects with WriteObject (as Import-Detection does),
# or per image-sized batch with WriteObject(batch, enumerateCollection: true) (as Merge-Detection
# writes each image's fused detections); Receive binds each one to a typed ValueFromPipeline -InputObject parameter
# (declared like Merge-Detection's, with a second parameter set) and only counts it. Neither does any
# engine work, so the time is exactly what one pipeline step costs: the WriteObject call, the
# downstream parameter binding and the ProcessRecord dispatch. This is sounder than
# 'Import-Detection | Out-Null' (Out-Null is special-cased by PowerShell and Import-Detection also
# parses JSON) or '$list | Export-Submission' (that still serialises, and enumerating a variable is
# not how the objects arrive from a compiled cmdlet). The per-object cost times the objects crossing
# each step gives PowerShell's share of a cmdlet pipeline:
#     Import | Merge | Export: N input detections cross step 1 (one by one), the fused ones cross
#     step 2 (in batches); Merge -Path | Export: only the fused ones cross a step (in batches).
Write-Host 'PowerShell pipeline-step probe...' -ForegroundColor Cyan
$engine.Ensemble = $null
Invoke-Collect
$all = [BoxFusion.Benchmarks.EngineStages]::ReadDetections($data.Files, $data.Models)
$step = Measure-Stage { Send-BenchDetection $all | Receive-BenchDetection }
if ([BoxFusion.Benchmarks.ReceiveBenchDetectionCommand]::Received -ne $all.Length) { throw 'The probe lost objects.' }
$stepNs = $step.Seconds / $all.Length * 1e9
$batchSize = [Math]::Max(1, [int][Math]::Round($wbfCount / $data.Images))
$stepBatch = Measure-Stage { Send-BenchDetection $all -Batch $batchSize | Receive-BenchDetection }
if ([BoxFusion.Benchmarks.ReceiveBenchDetectionCommand]::Received -ne $all.Length) { throw 'The probe lost objects.' }
$stepBatchNs = $stepBatch.Seconds / $all.Length * 1e9
$all = $null
$engineWbfPath = $engine.Write.Path
$engineProcessPeakMB = [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB
Invoke-Collect
#endregion

#region (b) the cmdlet pipelines, each run in a fresh pwsh
Write-Host "Cmdlet pipelines (each run in a fresh pwsh; $Runs runs each)..." -ForegroundColor Cyan
$cmdlet = [ordered]@{}
foreach ($name in $pipelines.Keys) {
    $file = Join-Path $outputFolder ('cmdlet-' + (($name -replace '[^A-Za-z]+', '-').Trim('-').ToLowerInvariant()) + '.json')
    # The two WBF pipelines also get a warm second run in the same process, for the breakdown.
    $warm = $name -in 'Import | Merge WBF | Export', 'Merge -Path | Export (WBF)'
    $m = Measure-ChildPipeline $pipelines[$name] $data.Files $data.GroundTruth $file -Warm:$warm
    $m | Add-Member Path $file
    $cmdlet[$name] = $m
    Write-Host ('  {0,-32} {1} s  peak {2} MB' -f $name, (Format-Num $m.Seconds '0.00'), (Format-Num $m.PeakMB '0'))
}
#endregion

#region Determinism: WBF with -ThrottleLimit 1 against all cores
Write-Host 'Determinism: Merge-Detection -ThrottleLimit 1 against all cores...' -ForegroundColor Cyan
$t1Path = Join-Path $outputFolder 'cmdlet-merge-path-export-wbf-throttle1.json'
$t1 = Measure-ChildPipeline 'Merge-Detection -Path $files -ImageInfo $gt -ThrottleLimit 1 | Export-Submission $out -Force' $data.Files $data.GroundTruth $t1Path -Count 1
$hashAll = (Get-FileHash $cmdlet['Merge -Path | Export (WBF)'].Path -Algorithm SHA256).Hash
$hashOne = (Get-FileHash $t1Path -Algorithm SHA256).Hash
$hashImport = (Get-FileHash $cmdlet['Import | Merge WBF | Export'].Path -Algorithm SHA256).Hash
$hashEngine = (Get-FileHash $engineWbfPath -Algorithm SHA256).Hash
Write-Host "  SHA256 WBF, all $cores cores (Merge -Path):   $hashAll"
Write-Host "  SHA256 WBF, -ThrottleLimit 1 (Merge -Path):  $hashOne"
Write-Host "  SHA256 WBF, Import | Merge | Export:         $hashImport"
Write-Host "  SHA256 WBF, engine (FuseAll + writer):       $hashEngine"
$deterministic = $hashAll -eq $hashOne
if ($deterministic) { Write-Host '  identical: yes' -ForegroundColor Green }
else { Write-Host '  identical: NO - the output depends on the thread count' -ForegroundColor Red }
if ($hashImport -ne $hashAll) { Write-Warning 'Import | Merge | Export and Merge -Path | Export wrote different files.' }
if ($hashEngine -ne $hashAll) { Write-Warning 'The engine stages and the cmdlets wrote different WBF files.' }
#endregion

#region The table
# One row per stage: wall seconds (median; what the targets are about), CPU seconds of the process
# (median; all threads, so parallel fusion shows up to cores x wall, and CPU < wall means waiting),
# GC pause seconds (median), detections per wall second, peak working set (cmdlet rows only).
function New-Row([string] $Stage, $M, [double] $Count, [string] $Target = '', $Met = $null) {
    $peak = if ($M.PSObject.Properties['PeakMB']) { $M.PeakMB } else { $null }
    [pscustomobject]@{
        Stage        = $Stage
        Seconds      = Format-Num $M.Seconds '0.000'
        'Min s'      = Format-Num $M.MinSeconds '0.000'
        'CPU s'      = Format-Num $M.CpuSeconds '0.00'
        'GC pause s' = Format-Num $M.GcPauseSeconds '0.00'
        'M det/s'    = if ($Count -gt 0 -and $M.Seconds -gt 0) { Format-Num ($Count / $M.Seconds / 1e6) '0.00' } else { '' }
        'Peak MB'    = if ($null -ne $peak) { Format-Num $peak '0' } else { '-' }
        Target       = $Target
        OK           = if ($null -eq $Met) { '' } elseif ($Met) { 'yes' } else { 'NO' }
    }
}
$rows = [System.Collections.Generic.List[object]]::new()
$e = $engine
$rows.Add((New-Row "engine: read 5 files one after another -> DetectionEnsemble ($n det.)" $e.Read $n))
$rows.Add((New-Row 'engine: the same in parallel, as the cmdlets read (one file per core, joined in file order)' $e.ReadParallel $n '>= 6 M det/s' ($n / $e.ReadParallel.Seconds -ge 6e6)))
$rows.Add((New-Row 'engine: load ImageInfo (gt.json, images only)' $e.ImageInfo 0))
foreach ($method in $methods) {
    $f = $e.Fuse[$method]
    $target = if ($method -eq 'WBF') { '>= 6 M det/s' } else { '' }
    $met = if ($method -eq 'WBF') { $n / $f.Seconds -ge 6e6 } else { $null }
    $rows.Add((New-Row "engine: FuseAll $method ($n -> $($f.Output) det.)" $f $n $target $met))
}
$rows.Add((New-Row "engine: write WBF result ($($e.Write.Output) det.; fsync apart: $(Format-Num $e.Write.FsyncSeconds '0.00') s)" $e.Write $e.Write.Output '>= 5 M det/s' ($e.Write.Output / $e.Write.Seconds -ge 5e6)))
$rows.Add((New-Row "engine: write WBF result -Decimals 2 ($(Format-Num ($e.WriteDecimals.Bytes / 1MB) '0') MB, full precision $(Format-Num ((Get-Item $e.Write.Path).Length / 1MB) '0') MB)" $e.WriteDecimals $e.WriteDecimals.Output '' $null))
$rows.Add((New-Row "PowerShell: 1 pipeline step, $n Detection objects one by one ($(Format-Num $stepNs '0') ns each)" $step $n))
$rows.Add((New-Row "PowerShell: 1 pipeline step, the same in batches of $batchSize ($(Format-Num $stepBatchNs '0') ns each)" $stepBatch $n))
foreach ($name in $pipelines.Keys) {
    $m = $cmdlet[$name]
    $target = ''; $met = $null
    if ($name -eq 'Import | Merge WBF | Export') { $target = '< 4.5 s, peak < 1 GB'; $met = $m.Seconds -lt 4.5 -and $m.MaxPeakMB -lt 1024 }
    elseif ($name -eq 'Merge -Path | Export (WBF)') { $target = '<= 2 s, peak < 1 GB'; $met = $m.Seconds -le 2 -and $m.MaxPeakMB -lt 1024 }
    else { $target = 'peak < 1 GB'; $met = $m.MaxPeakMB -lt 1024 }
    $rows.Add((New-Row "cmdlets: $name" $m $n $target $met))
}
$rows.Add((New-Row 'cmdlets: Merge -Path -ThrottleLimit 1 | Export (WBF, 1 run)' $t1 $n 'same bytes as all cores' $deterministic))

# Where the time of the two WBF pipelines goes, from the medians above:
#   fresh-process cost = first run - warm second run in the same child (JIT, first use of everything);
#   engine             = the engine stages the pipeline runs: read (as the cmdlets read), ImageInfo, fuse, write;
#   fsync              = the flush to disk Export-Submission does before its rename;
#   PowerShell steps   = probe cost per object x objects crossing each step (one by one out of
#                        Import-Detection, per image out of Merge-Detection);
#   rest               = warm run - engine - fsync - PowerShell steps: the cmdlets' own overhead and
#                        GC working harder with everything in one heap (each engine stage starts on a
#                        collected heap; a pipeline holds the ensemble while it fuses and writes).
#                        Negative when the pipeline overlaps stages (Merge-Detection fuses the next
#                        images on worker threads while it writes the current ones downstream).
# The cmdlets read the files in parallel (ReadInParallel), so that read time is the one used here.
$engineSeconds = $e.ReadParallel.Seconds + $e.ImageInfo.Seconds + $e.Fuse['WBF'].Seconds + $e.Write.Seconds
$oneByOne = $step.Seconds / $n
$batched = $stepBatch.Seconds / $n
$breakdown = @(
    foreach ($p in @(
            @{ Name = 'Import | Merge WBF | Export'; Objects = $n + $wbfCount; Share = $oneByOne * $n + $batched * $wbfCount },
            @{ Name = 'Merge -Path | Export (WBF)'; Objects = $wbfCount; Share = $batched * $wbfCount })) {
        $m = $cmdlet[$p.Name]
        $psShare = $p.Share
        [pscustomobject]@{
            Pipeline                = $p.Name
            'Measured s'            = Format-Num $m.Seconds '0.00'
            'Warm s'                = Format-Num $m.WarmSeconds '0.00'
            'Fresh-process s'       = Format-Num ($m.Seconds - $m.WarmSeconds) '0.00'
            'Engine s'              = Format-Num $engineSeconds '0.00'
            'fsync s'               = Format-Num $e.Write.FsyncSeconds '0.00'
            'PowerShell steps s'    = Format-Num $psShare '0.00'
            'Objects through steps' = $p.Objects
            'Rest s'                = Format-Num ($m.WarmSeconds - $engineSeconds - $e.Write.FsyncSeconds - $psShare) '0.00'
            'GC pause s'            = Format-Num $m.GcPauseSeconds '0.00'
            'Gen2 GCs'              = Format-Num $m.Gen2 '0'
        }
    }
)

$loadEnd = Get-LoadAverage
$rows | Format-Table -AutoSize -Wrap | Out-String -Width 220 | Write-Host
Write-Host "Load average (1, 5, 15 min): $loadStart at start, $loadEnd at the end of the main stages."
Write-Host "Cores: $cores ([Environment]::ProcessorCount). Input: $Images images, 5 models, $n detections; WBF output $wbfCount detections."
Write-Host ('Engine stages run in one process; its peak working set: {0} MB (the ensemble alone holds {1} MB of managed heap). Cmdlet peaks are per fresh process and include pwsh itself (~{2} MB after Import-Module).' -f
    (Format-Num $engineProcessPeakMB '0'), (Format-Num $ensembleMB '0'), (Format-Num $cmdlet['Merge -Path | Export (WBF)'].BaselineMB '0'))
Write-Host ''
Write-Host 'Where the WBF pipelines'' time goes (fresh-process = first run - warm second run; engine = read + ImageInfo + fuse + write rows; fsync as Export-Submission does; PowerShell steps = probe cost x objects crossing; rest = warm - engine - fsync - steps: cmdlet overhead, extra GC with everything in one heap, negative where stages overlap; GC columns: first run):' -ForegroundColor Cyan
$breakdown | Format-Table -AutoSize | Out-String -Width 220 | Write-Host
#endregion

#region -Scaling
$scalingRows = @()
if ($Scaling) {
    Write-Host 'Scaling: WBF for 500, 5000 and 20000 images...' -ForegroundColor Cyan
    $sizes = 500, 5000, 20000
    $scale = @{} # keyed by image count (an ordered dictionary would take an int key as an index)
    foreach ($size in $sizes) {
        $d = if ($size -eq $Images) { $data } else { Get-Ensemble $size }
        if ($size -eq $Images) {
            $se = [pscustomobject]@{ Read = $engine.Read.Seconds; Fuse = $engine.Fuse['WBF'].Seconds }
            $imp = $cmdlet['Import | Merge WBF | Export']
            $pth = $cmdlet['Merge -Path | Export (WBF)']
        }
        else {
            $m = Measure-Engine $d -FuseMethods 'WBF'
            $se = [pscustomobject]@{ Read = $m.Read.Seconds; Fuse = $m.Fuse['WBF'].Seconds }
            $m = $null
            Invoke-Collect
            $imp = Measure-ChildPipeline $pipelines['Import | Merge WBF | Export'] $d.Files $d.GroundTruth (Join-Path $outputFolder "scaling-import-$size.json")
            $pth = Measure-ChildPipeline $pipelines['Merge -Path | Export (WBF)'] $d.Files $d.GroundTruth (Join-Path $outputFolder "scaling-path-$size.json")
            Remove-Item (Join-Path $outputFolder "scaling-*-$size.json") -ErrorAction SilentlyContinue # up to 1 GB each
        }
        $scale[$size] = [pscustomobject]@{ Data = $d; Engine = $se; Import = $imp; Path = $pth }
        Write-Host ('  {0,6} images: engine read {1} s, fuse {2} s; Import|Merge|Export {3} s ({4} MB); Merge -Path|Export {5} s ({6} MB)' -f $size,
            (Format-Num $se.Read '0.00'), (Format-Num $se.Fuse '0.00'), (Format-Num $imp.Seconds '0.00'), (Format-Num $imp.PeakMB '0'),
            (Format-Num $pth.Seconds '0.00'), (Format-Num $pth.PeakMB '0'))
    }
    $scalingRows = @(foreach ($size in $sizes) {
            $s = $scale[$size]
            [pscustomobject]@{
                Images                        = $size
                Detections                    = $s.Data.Detections
                'Engine read s'               = Format-Num $s.Engine.Read '0.00'
                'Engine fuse WBF s'           = Format-Num $s.Engine.Fuse '0.00'
                'Import|Merge|Export s'       = Format-Num $s.Import.Seconds '0.00'
                'Import|Merge|Export peak MB' = Format-Num $s.Import.PeakMB '0'
                'Merge -Path|Export s'        = Format-Num $s.Path.Seconds '0.00'
                'Merge -Path|Export peak MB'  = Format-Num $s.Path.PeakMB '0'
            }
        })
    $a = $scale[20000]; $b = $scale[5000]
    $scalingRows += [pscustomobject]@{
        Images                        = '20000/5000'
        Detections                    = Format-Num ($a.Data.Detections / $b.Data.Detections) '0.00'
        'Engine read s'               = Format-Num ($a.Engine.Read / $b.Engine.Read) '0.00'
        'Engine fuse WBF s'           = Format-Num ($a.Engine.Fuse / $b.Engine.Fuse) '0.00'
        'Import|Merge|Export s'       = Format-Num ($a.Import.Seconds / $b.Import.Seconds) '0.00'
        'Import|Merge|Export peak MB' = Format-Num ($a.Import.PeakMB / $b.Import.PeakMB) '0.00'
        'Merge -Path|Export s'        = Format-Num ($a.Path.Seconds / $b.Path.Seconds) '0.00'
        'Merge -Path|Export peak MB'  = Format-Num ($a.Path.PeakMB / $b.Path.PeakMB) '0.00'
    }
    $scalingRows | Format-Table -AutoSize | Out-String -Width 220 | Write-Host
}
#endregion

#region results.md
$md = @"
## Benchmark

``dotnet pwsh ./build.ps1 -Task Benchmark -Images $Images$(if ($Scaling) { ' -Scaling' })`` on $cores cores ($([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion), .NET $([Environment]::Version)), $(Get-Date -Format 'yyyy-MM-dd').
Synthetic COCO-sized ensemble: $Images images, 5 models, 80 classes, up to 100 detections per image and model: $n detections.
Median of $Runs runs. Engine rows call the engine's classes directly (loops in compiled C#); cmdlet rows run each
pipeline in a fresh pwsh and time the pipeline only; peak is that process's peak working set, pwsh itself included
(~$(Format-Num $cmdlet['Merge -Path | Export (WBF)'].BaselineMB '0') MB after Import-Module). CPU s is the process's CPU time over all threads.
Load average (1, 5, 15 min): $loadStart at start, $loadEnd at the end of the main stages.

$(ConvertTo-MarkdownTable $rows)

Where the WBF pipelines' time goes (fresh-process = first run - warm second run in the same process; engine = read + ImageInfo + fuse + write rows; fsync as Export-Submission does; PowerShell steps = $(Format-Num $stepNs '0') ns per object one by one, $(Format-Num $stepBatchNs '0') ns in batches, x objects; rest = warm - engine - fsync - steps: cmdlet overhead and extra GC with everything in one heap, negative where stages overlap; GC columns: first run):

$(ConvertTo-MarkdownTable $breakdown)

WBF output SHA256, all cores: ``$hashAll``; -ThrottleLimit 1: ``$hashOne`` ($(if ($deterministic) { 'identical' } else { 'DIFFERENT' })).
"@
if ($Scaling) {
    $md += "`n`nScaling (WBF, median of $Runs runs):`n`n" + (ConvertTo-MarkdownTable $scalingRows) + "`n"
}
$mdPath = Join-Path $CacheFolder 'results.md'
Set-Content -Path $mdPath -Value $md -Encoding utf8NoBOM
Write-Host "Wrote $mdPath"
Write-Host ('Benchmark took {0} s.' -f (Format-Num $benchClock.Elapsed.TotalSeconds '0'))
#endregion

if (-not $deterministic) { exit 1 }
exit 0
