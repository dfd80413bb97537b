<#
.SYNOPSIS
    The main job on the bundled sample: three detectors' COCO results fused into one submission,
    and each model's COCO AP next to each fusion method's; then one image drawn with every model's boxes, the fused
    boxes and the ground truth, and the precision-recall chart of the models and the fusion; then the same (numbers)
    for instance masks (sample-masks).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $OutputFolder = (Join-Path $PSScriptRoot '../out/demo'),
    # Where the two pictures go (build.ps1 -Task Demo: docs/, which the README shows).
    [string] $PictureFolder = $OutputFolder
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$sample = Join-Path $PSScriptRoot 'data/sample'
$models = 'yolox', 'cascade', 'detr' | ForEach-Object { Join-Path $sample "$_.json" }
$groundTruth = Join-Path $sample 'gt.json'
$null = New-Item -ItemType Directory $OutputFolder -Force
$OutputFolder = (Resolve-Path $OutputFolder).Path

Write-Host "Sample: $sample" -ForegroundColor Cyan
$detections = Import-Detection $models
$detections | Group-Object Model | ForEach-Object {
    [pscustomobject]@{ Model = $_.Name; Detections = $_.Count; Images = ($_.Group.ImageId | Select-Object -Unique).Count }
} | Format-Table -AutoSize | Out-Host

$submission = Join-Path $OutputFolder 'submission.json'
$zip = Join-Path $OutputFolder 'submission.zip'
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$fused = $detections | Merge-Detection -Method WBF -IouThreshold 0.6 -SkipBoxThreshold 0.01 -Weight 2, 1, 1 -ImageInfo $groundTruth
$fused | Export-Submission -Path $submission -Force
$fused | Export-Submission -Path $zip -Force
$clock.Stop()
Write-Host ("WBF fused {0} detections of {1} models into {2} in {3:0.00} s" -f $detections.Count, 3, $fused.Count, $clock.Elapsed.TotalSeconds) -ForegroundColor Cyan
Write-Host "Wrote $submission"
Write-Host "Wrote $zip (submission.json inside, for the challenge server)"
Write-Host ''
Write-Host 'Best fused boxes of the first image:' -ForegroundColor Cyan
$fused | Select-Object -First 5 | Format-Table | Out-Host

if (Get-Command Measure-Detection -ErrorAction SilentlyContinue) {
    Write-Host 'COCO evaluation on the sample ground truth (AP = mAP@[.5:.95]):' -ForegroundColor Cyan
    $rows = [System.Collections.Generic.List[object]]::new()
    $detections | Measure-Detection -GroundTruth $groundTruth -GroupBy Model | ForEach-Object { $rows.Add($_) }
    foreach ($method in 'WBF', 'NMS', 'SoftNMS', 'NMW') {
        $detections | Merge-Detection -Method $method -Weight 2, 1, 1 -ImageInfo $groundTruth -WarningAction SilentlyContinue |
            Measure-Detection -GroundTruth $groundTruth -GroupBy Model | ForEach-Object { $rows.Add($_) }
    }
    $rows | Format-Table | Out-Host
}

if (Get-Command Export-DetectionImage -ErrorAction SilentlyContinue) {
    Write-Host 'Pictures:' -ForegroundColor Cyan
    $null = New-Item -ItemType Directory $PictureFolder -Force
    $drawn = Join-Path $OutputFolder 'drawn'
    $image = $detections + $fused | Export-DetectionImage -Path $drawn -GroundTruth $groundTruth -ImageId 51 -MinScore 0.5 -Force -PassThru
    $samplePicture = Copy-Item $image.FullName (Join-Path $PictureFolder 'sample-detections.png') -PassThru -Force
    Write-Host "Wrote $samplePicture (image 51: each model's boxes, the WBF boxes and the ground truth, scores 0.5 and up)"
    $chart = $detections + $fused | Measure-Detection -GroundTruth $groundTruth -GroupBy Model |
        Export-PrecisionRecallChart (Join-Path $PictureFolder 'sample-precision-recall.png') -Title 'Precision-recall on the sample: three models and their WBF fusion' -Force -PassThru
    Write-Host "Wrote $chart"
}

# The instance-segmentation part: three mask models' segm results, fused masks, mask AP.
$maskSample = Join-Path $PSScriptRoot 'data/sample-masks'
$maskModels = 'maskrcnn', 'cascade-mask', 'mask2former' | ForEach-Object { Join-Path $maskSample "$_.json" }
$maskTruth = Join-Path $maskSample 'gt.json'
Write-Host ''
Write-Host "Masks: $maskSample" -ForegroundColor Cyan
$masked = Import-Detection $maskModels
$segmSubmission = Join-Path $OutputFolder 'segm-submission.json'
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$fusedMasks = $masked | Merge-Detection -Method WBF -ImageInfo $maskTruth
$fusedMasks | Export-Submission -Path $segmSubmission -Force
Write-Host ("WBF fused {0} masks of 3 models into {1} in {2:0.00} s; wrote {3}" -f $masked.Count, $fusedMasks.Count, $clock.Elapsed.TotalSeconds, $segmSubmission) -ForegroundColor Cyan
$fusedMasks | Select-Object -First 3 | Format-Table | Out-Host
Write-Host 'COCO mask evaluation (Measure-Detection -IouType Segm):' -ForegroundColor Cyan
$rows = [System.Collections.Generic.List[object]]::new()
$masked | Measure-Detection -GroundTruth $maskTruth -IouType Segm -GroupBy Model | ForEach-Object { $rows.Add($_) }
foreach ($method in 'WBF', 'NMS', 'NMW') {
    $masked | Merge-Detection -Method $method -ImageInfo $maskTruth |
        Measure-Detection -GroundTruth $maskTruth -IouType Segm -GroupBy Model | ForEach-Object { $rows.Add($_) }
}
$rows | Format-Table | Out-Host
