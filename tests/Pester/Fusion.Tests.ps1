BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $runs = foreach ($fixture in 'case-a', 'case-b') {
        foreach ($name in Get-FixtureRunName $fixture) { @{ Fixture = $fixture; Name = $name } }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
}

Describe 'Merge-Detection matches ensemble-boxes 1.0.9' {
    It '<Fixture> <Name>' -ForEach $runs {
        $run = Get-FixtureRun $Fixture $Name
        $p = $run.Parameters
        $fused = Import-Detection $run.Models | Merge-Detection @p -ImageInfo $run.GroundTruth
        $expected = Import-Detection -LiteralPath $run.Expected -WarningAction SilentlyContinue
        @($fused).Count | Should -Be $run.BoxesOut
        $problems = Compare-DetectionSet $expected $fused
        $problems | Select-Object -First 5 | Should -BeNullOrEmpty
    }
}

Describe 'Merge-Detection behaviour' {
    BeforeAll {
        $caseB = Join-Path $DataRoot 'case-b'
        $models = 1..4 | ForEach-Object { Join-Path $caseB "model$_.json" }
    }

    It 'reads the files itself with -Path and gives the same result as the pipeline' {
        $viaPipeline = Import-Detection $models | Merge-Detection -ImageInfo (Join-Path $caseB 'gt.json')
        $direct = Merge-Detection -Path (Join-Path $caseB 'model*.json') -ImageInfo (Join-Path $caseB 'gt.json')
        $direct.Count | Should -Be $viaPipeline.Count
        for ($i = 0; $i -lt $direct.Count; $i += 37) {
            $direct[$i].ToString() | Should -Be $viaPipeline[$i].ToString()
        }
    }

    It 'keeps images in order of first appearance and sorts each image by fused score' {
        $input = Import-Detection $models
        $firstSeen = [System.Collections.Generic.List[object]]::new()
        foreach ($d in $input) { if (-not $firstSeen.Contains($d.ImageId)) { $firstSeen.Add($d.ImageId) } }
        $fused = $input | Merge-Detection
        $order = [System.Collections.Generic.List[object]]::new()
        foreach ($d in $fused) { if ($order.Count -eq 0 -or $order[-1] -ne $d.ImageId) { $order.Add($d.ImageId) } }
        $order | Should -Be ($firstSeen | Where-Object { $_ -in $order })
        foreach ($g in $fused | Group-Object ImageId) {
            $scores = $g.Group.Score
            $scores | Should -Be ($scores | Sort-Object -Descending)
        }
    }

    It 'never changes the input detections' {
        $input = Import-Detection $models[0], $models[1]
        $before = $input | ForEach-Object { $_.ToString() }
        $null = $input | Merge-Detection -Weight 3, 1 -ImageInfo (Join-Path $caseB 'gt.json')
        $input | ForEach-Object { $_.ToString() } | Should -Be $before
    }

    It 'accepts weights as a hashtable by model name' {
        $byList = Import-Detection $models | Merge-Detection -Weight 1, 2, 1, 1
        $byName = Import-Detection $models | Merge-Detection -Weight @{ model2 = 2 }
        ($byName | ForEach-Object ToString) | Should -Be ($byList | ForEach-Object ToString)
    }

    It 'rejects a weight list of the wrong length, naming the models' {
        { Import-Detection $models | Merge-Detection -Weight 1, 2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidWeight,BoxFusion.Commands.MergeDetectionCommand' -ExpectedMessage '*2 weights were given for 4 models*'
    }

    It 'reports images missing from -ImageInfo and leaves them out' {
        $info = @(Get-Content (Join-Path $caseB 'gt.json') -Raw | ConvertFrom-Json).images | Where-Object file_name -NE '3.jpg'
        $fused = Import-Detection $models | Merge-Detection -ImageInfo $info -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'ImageNotInImageInfo,BoxFusion.Commands.MergeDetectionCommand'
        "$($errs[0])" | Should -BeLike '*"3.jpg"*'
        $fused.ImageId | Should -Not -Contain '3.jpg'
    }

    It 'reports many missing images in one error with the count and the first ids' {
        $info = @(Get-Content (Join-Path $caseB 'gt.json') -Raw | ConvertFrom-Json).images | Select-Object -First 3
        $fused = Import-Detection $models | Merge-Detection -ImageInfo $info -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        "$($errs[0])" | Should -BeLike '27 images are not in the -ImageInfo images (first: *'
        ($fused.ImageId | Select-Object -Unique).Count | Should -Be 3
    }

    It 'validates parameters at binding, listing valid methods' {
        { Merge-Detection -Path x.json -Method Foo } | Should -Throw -ExpectedMessage '*WBF*NMS*SoftNMS*NMW*'
        { Merge-Detection -Path x.json -IouThreshold 1.5 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,BoxFusion.Commands.MergeDetectionCommand'
    }
}
