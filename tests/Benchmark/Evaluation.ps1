<#
.SYNOPSIS
    Times COCO evaluation (Measure-Detection) on a COCO-sized fused result, and Optimize-Fusion's time per
    trial on 1000 images and 5 models, each in a fresh pwsh with its peak working set.
.DESCRIPTION
    Run through the build script after the main benchmark (which generates the data):
        dotnet pwsh ./build.ps1 -Task Benchmark
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $CacheFolder = (Join-Path $PSScriptRoot '../../out/bench'),
    [int] $Images = 5000,
    # The synthetic generator, built by build.ps1 -Task Benchmark (tests/BoxFusion.Synthetic).
    [string] $ToolsPath = (Join-Path $PSScriptRoot '../../out/tools')
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
. (Join-Path $PSScriptRoot 'BenchmarkCommon.ps1')
$ModulePath = Resolve-BenchmarkPath $ModulePath
$CacheFolder = Resolve-BenchmarkPath $CacheFolder
Import-BenchmarkTools $ModulePath (Resolve-BenchmarkPath $ToolsPath) 'BoxFusion.Synthetic.dll'

function Get-Ensemble([int] $count) { (Get-CocoEnsemble $CacheFolder $count).Folder }

$dir = Get-Ensemble $Images
$gt = Join-Path $dir 'gt.json'
$files = (1..5 | ForEach-Object { "'" + (Join-Path $dir "model$_.json") + "'" }) -join ','
$fused = Join-Path $CacheFolder 'output/eval-wbf.json'
$null = New-Item -ItemType Directory (Split-Path $fused) -Force
Merge-Detection -Path (1..5 | ForEach-Object { Join-Path $dir "model$_.json" }) -ImageInfo $gt | Export-Submission $fused -Force
$count = (Measure-Detection -GroundTruth $gt -Path $fused -MaxDetections 1, 10, 100).DetectionCount

$rows = [System.Collections.Generic.List[object]]::new()
$eval = Invoke-Fresh $ModulePath "`$r = Measure-Detection -GroundTruth '$gt' -Path '$fused'; `$extra = `$r.AP"
$rows.Add([pscustomobject]@{ Stage = "Measure-Detection -Path (read + evaluate $count fused detections, $Images images, 80 classes)"; Seconds = [math]::Round($eval.Seconds, 2); 'Det/s' = '{0:0.00} M' -f ($count / $eval.Seconds / 1e6); PeakMB = $eval.PeakMB })

$engine = Invoke-Fresh $ModulePath "`$gtData = [BoxFusion.Coco.CocoGroundTruth]::Load('$gt'); `$r = [BoxFusion.Json.CocoResultReader]::new('$fused', 'wbf'); `$list = [System.Collections.Generic.List[BoxFusion.Detection]]::new(); `$d = `$null; while (`$r.TryRead([ref]`$d)) { `$list.Add(`$d) }; `$r.Dispose(); `$clock.Restart(); `$null = [BoxFusion.Evaluation.CocoEvaluator]::Evaluate(`$gtData, `$list); `$extra = 0"
$rows.Add([pscustomobject]@{ Stage = 'engine: CocoEvaluator.Evaluate alone (detections in memory)'; Seconds = [math]::Round($engine.Seconds, 2); 'Det/s' = '{0:0.00} M' -f ($count / $engine.Seconds / 1e6); PeakMB = $engine.PeakMB })

$small = Get-Ensemble 1000
$smallFiles = (1..5 | ForEach-Object { "'" + (Join-Path $small "model$_.json") + "'" }) -join ','
$opt = Invoke-Fresh $ModulePath "`$d = Import-Detection $smallFiles; `$clock.Restart(); `$t = `$d | Optimize-Fusion -GroundTruth '$(Join-Path $small 'gt.json')' -MaxTrials 12 -Method WBF, NMS; `$extra = `$t.Count; `$n = `$d.Count"
$rows.Add([pscustomobject]@{ Stage = "Optimize-Fusion, 1000 images x 5 models: seconds per trial (of $($opt.Extra))"; Seconds = [math]::Round($opt.Seconds / $opt.Extra, 3); 'Det/s' = ''; PeakMB = $opt.PeakMB })

$table = $rows | Format-Table -AutoSize | Out-String -Width 200
Write-Host $table
$md = "`n| Stage | Seconds | Det/s | Peak MB |`n|---|---|---|---|`n" + (($rows | ForEach-Object { "| $($_.Stage) | $($_.Seconds) | $($_.'Det/s') | $($_.PeakMB) |" }) -join "`n") + "`n"
Add-Content (Join-Path $CacheFolder 'results.md') $md
